// Parses the command line: `run <notebook> --output <file> [--html <file>] [-p name=value]... [--timeout-per-cell S]`,
// `report <executed.ipynb> --html <file>`, `publish <executed.ipynb>... --to <folder>`, `bench [--cells N]`.
using System.Globalization;

namespace NotebookRunner.Cli;

public sealed record RunArguments(
    string Notebook,
    string Output,
    string? Html,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    TimeSpan? CellTimeout);

public sealed record ReportArguments(string Notebook, string Html);

public sealed record BenchArguments(int Cells);

public sealed record PublishArguments(IReadOnlyList<string> Notebooks, string Directory);

public sealed class UsageException(string message) : Exception(message);

public static class CommandLine
{
    public const string Usage = """
        NotebookRunner — runs Polyglot (.NET Interactive) C# notebooks headless.

        usage:
          NotebookRunner run <notebook.ipynb> --output <executed.ipynb> [--html <report.html>]
                             [-p name=value]... [--timeout-per-cell SECONDS]
          NotebookRunner report <executed.ipynb> --html <report.html>
          NotebookRunner publish <executed.ipynb>... --to <folder>
          NotebookRunner bench [--cells N]

        run      executes every C# cell in the .NET Interactive C# kernel (in process), stopping at the first failing cell, and writes the executed
                 notebook (after every cell, atomically) and optionally a standalone offline HTML report.
                 -p overrides a parameter of the cell tagged "parameters" (also: environment NB_<NAME>).
                 The executed notebook's #r/#load/#i paths are rewritten to resolve from its own folder.
        report   renders an executed notebook as the HTML report without running it.
        publish  copies executed notebooks into a folder (to be committed): directive paths rewritten for that
                 folder, the copies of plotly.js in chart outputs removed (the report embeds it).
        bench    measures the runner's own overhead per cell on a notebook of N trivial cells (default 50).

        exit codes: 0 all cells ran; 1 a cell failed (compile error, exception, timeout, unsupported directive) —
                    the executed notebook is still written; 2 bad usage or a notebook the runner cannot run.
        """;

    public static object Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help") return "help";
        var verb = args[0];
        var rest = args.Skip(1).ToList();
        return verb switch
        {
            "run" => ParseRun(rest),
            "report" => ParseReport(rest),
            "bench" => ParseBench(rest),
            "publish" => ParsePublish(rest),
            _ => throw new UsageException($"unknown command '{verb}' (expected run, report, publish or bench)"),
        };
    }

    static RunArguments ParseRun(List<string> args)
    {
        string? notebook = null, output = null, html = null;
        TimeSpan? timeout = null;
        var parameters = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--output" or "-o": output = Value(args, ref i, a); break;
                case "--html": html = Value(args, ref i, a); break;
                case "-p" or "--parameter": parameters.Add(Parameter(Value(args, ref i, a))); break;
                case "--timeout-per-cell":
                    var text = Value(args, ref i, a);
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                        throw new UsageException($"--timeout-per-cell needs a positive number of seconds, not '{text}'");
                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    if (a.StartsWith('-')) throw new UsageException($"unknown option '{a}'");
                    if (notebook is not null) throw new UsageException($"one notebook per run ('{notebook}' and '{a}' given)");
                    notebook = a;
                    break;
            }
        }
        if (notebook is null) throw new UsageException("run: which notebook? (NotebookRunner run <notebook.ipynb> --output <executed.ipynb>)");
        if (output is null) throw new UsageException("run: --output <executed.ipynb> is required (the source notebook is never overwritten)");
        if (Path.GetFullPath(output) == Path.GetFullPath(notebook))
            throw new UsageException("run: --output must differ from the source notebook");
        return new RunArguments(notebook, output, html, parameters, timeout);
    }

    static ReportArguments ParseReport(List<string> args)
    {
        string? notebook = null, html = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--html") html = Value(args, ref i, "--html");
            else if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}'");
            else notebook = args[i];
        }
        if (notebook is null || html is null) throw new UsageException("report: NotebookRunner report <executed.ipynb> --html <report.html>");
        return new ReportArguments(notebook, html);
    }

    static PublishArguments ParsePublish(List<string> args)
    {
        string? directory = null;
        var notebooks = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--to") directory = Value(args, ref i, "--to");
            else if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}'");
            else notebooks.Add(args[i]);
        }
        if (notebooks.Count == 0 || directory is null)
            throw new UsageException("publish: NotebookRunner publish <executed.ipynb>... --to <folder>");
        return new PublishArguments(notebooks, directory);
    }

    static BenchArguments ParseBench(List<string> args)
    {
        int cells = 50;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--cells" && int.TryParse(Value(args, ref i, "--cells"), out var n) && n > 0) cells = n;
            else throw new UsageException("bench: NotebookRunner bench [--cells N]");
        }
        return new BenchArguments(cells);
    }

    static string Value(List<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count) throw new UsageException($"{option} needs a value");
        return args[++i];
    }

    static KeyValuePair<string, string> Parameter(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new UsageException($"-p expects name=value, not '{text}'");
        return KeyValuePair.Create(text[..eq].Trim(), text[(eq + 1)..]);
    }
}
