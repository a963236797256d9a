// Turns a Polyglot cell into plain C# script code. Lines the runner handles itself (kernel selector, #!time,
// #r "nuget: ...", #r of a host assembly, #i) become blank lines, so compiler line numbers still match the cell.
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public sealed record PreparedCell(string Code, bool MeasureTime, IReadOnlyList<string> Notes)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Code);
}

public static class CellPreprocessor
{
    static readonly string[] OtherKernels =
        ["fsharp", "f#", "fs", "pwsh", "powershell", "javascript", "js", "html", "sql", "kql", "mermaid", "http",
         "value", "markdown", "md", "python", "r", "typescript", "ts"];

    /// <param name="metadataKernel">The kernel the cell metadata names, or the notebook default; null means C#.</param>
    /// <exception cref="DirectiveException">The cell is not C#, or uses a directive the runner cannot honour.</exception>
    public static PreparedCell Prepare(string source, string? metadataKernel, HostEnvironment host)
    {
        var lines = SplitKeepingNewlines(source);
        var notes = new List<string>();
        bool time = false;
        int first = lines.FindIndex(l => !string.IsNullOrWhiteSpace(l));

        // Polyglot: a first line "#!name" selects the cell's kernel and overrides the metadata.
        string? selector = first >= 0 && MagicName(lines[first]) is { } n && IsKernelName(n) ? n : null;
        var kernel = selector ?? metadataKernel;
        if (kernel is not null && !PolyglotMetadata.IsCSharp(kernel))
            throw new DirectiveException(
                $"this cell is for the '{kernel}' kernel; NotebookRunner runs C# cells only (csharp). " +
                "Move the code to C# or out of the notebook.", selector is null ? 0 : first + 1);

        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (MagicName(line) is { } magic)
            {
                if (PolyglotMetadata.IsCSharp(magic)) { lines[i] = Blank(line); continue; }
                if (magic == "time") { time = true; lines[i] = Blank(line); continue; }
                if (IsKernelName(magic))
                    throw new DirectiveException($"line {i + 1}: #!{magic} switches to another kernel; NotebookRunner runs C# only.", i + 1);
                throw new DirectiveException($"line {i + 1}: the magic command #!{magic} is unsupported in the headless runner " +
                                             "(supported: #!csharp, #!c#, #!time).", i + 1);
            }
            if (IsDirective(trimmed, "#r"))
            {
                var argument = trimmed[2..].Trim();
                if (NugetDirective.TryParse(argument, out var nuget))
                {
                    var problem = nuget!.CheckAgainst(host, out var providedBy);
                    if (problem is not null) throw new DirectiveException($"line {i + 1}: {problem}", i + 1);
                    notes.Add($"#r {argument} → provided by the runner ({providedBy})");
                    lines[i] = Blank(line);
                }
                else if (HostAssemblyName(argument) is { } name && host.IsHostAssembly(name))
                {
                    notes.Add($"#r {argument} → the runner's own {name}.dll");
                    lines[i] = Blank(line);
                }
                continue;   // any other #r (a file the host lacks, a framework name) is Roslyn's business
            }
            if (IsDirective(trimmed, "#i"))
            {
                notes.Add($"{trimmed.TrimEnd()} ignored (the runner restores no packages)");
                lines[i] = Blank(line);
            }
        }
        return new PreparedCell(string.Concat(lines), time, notes);
    }

    /// <summary>"time" for "#!time", "c#" for "#!c#"; null when the line is not a magic command.</summary>
    static string? MagicName(string line)
    {
        var t = line.TrimStart();
        if (!t.StartsWith("#!", StringComparison.Ordinal)) return null;
        var rest = t[2..];
        int end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        return rest[..end].ToLowerInvariant();
    }

    static bool IsKernelName(string name) => PolyglotMetadata.IsCSharp(name) || OtherKernels.Contains(name);

    static bool IsDirective(string trimmedLine, string directive) =>
        trimmedLine.StartsWith(directive, StringComparison.Ordinal) &&
        trimmedLine.Length > directive.Length && (char.IsWhiteSpace(trimmedLine[directive.Length]) || trimmedLine[directive.Length] == '"');

    /// <summary>For #r "some/dir/X.dll" (or "X"), the simple assembly name X; null for non-file references.</summary>
    static string? HostAssemblyName(string argument)
    {
        var path = argument.Trim().Trim('"').Trim();
        if (path.Length == 0) return null;
        var file = Path.GetFileName(path);
        return file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFileNameWithoutExtension(file)
            : null;
    }

    static string Blank(string line) => line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : "";

    static List<string> SplitKeepingNewlines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }
}
