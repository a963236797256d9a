// An executed notebook must run again where it lies (artifacts/<budget>/, results/notebooks/<budget>/), so the file
// paths of its #r, #load and #i directives, written relative to the source notebook's folder, are rewritten relative
// to the folder the copy goes to, and so is the recorded path of the source notebook (metadata.notebook_runner.
// input_path). "nuget:" references and absolute paths stay as they are. The source is not changed.
// A notebook executed in one checkout and published into another (a fresh clone's run committed from the working
// copy) keeps pointing into its own repository: a path under the source's repository root (the nearest folder above it
// with a .git entry) is mapped to the same place under the target's root, not to the other checkout.
using System.Text.RegularExpressions;

namespace NotebookRunner.Notebook;

public static partial class Relocation
{
    /// <summary>A copy of <paramref name="doc"/> whose relative directive paths resolve from <paramref name="toDirectory"/>.</summary>
    public static NotebookDocument Relocated(NotebookDocument doc, string fromDirectory, string toDirectory)
    {
        var copy = NotebookDocument.Parse(doc.Serialize());
        var from = Path.GetFullPath(fromDirectory);
        var to = Path.GetFullPath(toDirectory);
        if (from == to) return copy;
        var fromRoot = RepositoryRoot(from);
        var toRoot = RepositoryRoot(to);
        string Rebase(string path)
        {
            var absolute = Path.GetFullPath(Path.Combine(from, path));
            if (fromRoot is not null && toRoot is not null && fromRoot != toRoot && IsUnder(absolute, fromRoot))
                absolute = Path.Combine(toRoot, Path.GetRelativePath(fromRoot, absolute));
            return Path.GetRelativePath(to, absolute).Replace('\\', '/');
        }
        if (copy.Metadata[Execution.RunMetadata.Key] is System.Text.Json.Nodes.JsonObject run &&
            run["input_path"] is System.Text.Json.Nodes.JsonValue input && input.TryGetValue<string>(out var inputPath) && !Path.IsPathRooted(inputPath))
            run["input_path"] = Rebase(inputPath);
        foreach (var cell in copy.Cells.Where(c => c.IsCode))
        {
            var source = cell.Source;
            var rebased = Directive().Replace(source, m =>
            {
                var path = m.Groups["path"].Value;
                if (path.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(path)) return m.Value;
                return m.Groups["head"].Value + Rebase(path) + "\"";
            });
            if (rebased != source) cell.Source = rebased;
        }
        return copy;
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> holding a .git folder or file; null if none.</summary>
    static string? RepositoryRoot(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            var git = Path.Combine(d.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git)) return d.FullName;
        }
        return null;
    }

    static bool IsUnder(string path, string root) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The relative paths of the #r/#load/#i directives of a notebook, in order (for checks and tests).</summary>
    public static IReadOnlyList<string> DirectivePaths(NotebookDocument doc) =>
        doc.Cells.Where(c => c.IsCode)
            .SelectMany(c => Directive().Matches(c.Source).Select(m => m.Groups["path"].Value))
            .Where(p => !p.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            .ToArray();

    [GeneratedRegex(@"(?<head>^[ \t]*#(?:r|load|i)[ \t]+"")(?<path>[^""\r\n]+)""", RegexOptions.Multiline)]
    private static partial Regex Directive();
}
