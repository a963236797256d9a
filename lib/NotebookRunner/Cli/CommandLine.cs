// Parses the command line: `run <notebook> --output <file> [--html <file>] [-p name=value]... [--timeout-per-cell S]`,
// `report <executed.ipynb> --html <file>`, `publish <executed.ipynb>... --to <folder>`, `bench [--cells N]`.
// Strict as every command line of the package (lib/CommandLine): unknown options, missing values, an option given twice,
// malformed or out-of-range numbers are a UsageException (exit 2, one line, nothing created).
using StrictCli;

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
                case "--output" or "-o": output = Once(output, Value(args, ref i, a), "--output"); break;
                case "--html": html = Once(html, Value(args, ref i, a), a); break;
                case "-p" or "--parameter": parameters.Add(Parameter(Value(args, ref i, a))); break;
                case "--timeout-per-cell":
                    if (timeout is not null) throw new UsageException($"{a} is given twice");
                    // seconds, at most a day (TimeSpan.FromSeconds would overflow on huge values)
                    timeout = TimeSpan.FromSeconds(Values.Double(a, Value(args, ref i, a), min: 0, max: 86_400, minExclusive: true));
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
            if (args[i] == "--html") html = Once(html, Value(args, ref i, "--html"), "--html");
            else if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}'");
            else notebook = notebook is null ? args[i] : throw new UsageException($"report: one notebook ('{notebook}' and '{args[i]}' given)");
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
            if (args[i] == "--to") directory = Once(directory, Value(args, ref i, "--to"), "--to");
            else if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}'");
            else notebooks.Add(args[i]);
        }
        if (notebooks.Count == 0 || directory is null)
            throw new UsageException("publish: NotebookRunner publish <executed.ipynb>... --to <folder>");
        return new PublishArguments(notebooks, directory);
    }

    static BenchArguments ParseBench(List<string> args)
    {
        int? cells = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] != "--cells") throw new UsageException($"bench: unknown {(args[i].StartsWith('-') ? "option" : "argument")} '{args[i]}' (NotebookRunner bench [--cells N])");
            if (cells is not null) throw new UsageException("--cells is given twice");
            cells = Values.Int("--cells", Value(args, ref i, "--cells"), min: 1, max: 100_000);
        }
        return new BenchArguments(cells ?? 50);
    }

    static string Value(List<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--")) throw new UsageException($"{option} needs a value");
        return args[++i];
    }

    static string Once(string? before, string value, string option) =>
        before is null ? value : throw new UsageException($"{option} is given twice");

    static KeyValuePair<string, string> Parameter(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new UsageException($"-p expects name=value, not '{text}'");
        return KeyValuePair.Create(text[..eq].Trim(), text[(eq + 1)..]);
    }
}
