// The commands behind the command line. Exit codes: 0 all cells ran, 1 a cell failed (the executed notebook
// and report are still written), 2 bad usage or a notebook the runner cannot run.
using System.Text.Json;
using NotebookRunner.Execution;
using NotebookRunner.Notebook;
using NotebookRunner.Parameters;
using NotebookRunner.Report;

namespace NotebookRunner.Cli;

public static class Commands
{
    public const int Ok = 0;
    public const int CellFailed = 1;
    public const int BadInput = 2;

    /// <param name="stdout">Where cells' console output is echoed.</param>
    /// <param name="stderr">Runner progress, warnings and errors.</param>
    /// <param name="environment">Environment lookup (NB_&lt;NAME&gt; parameters).</param>
    public static async Task<(int ExitCode, RunResult? Result)> MainAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment)
    {
        object parsed;
        try
        {
            parsed = CommandLine.Parse(args);
        }
        catch (StrictCli.UsageException e)
        {
            stderr.WriteLine($"NotebookRunner: {e.Message} (`NotebookRunner --help` for usage)");
            return (BadInput, null);
        }
        switch (parsed)
        {
            case RunArguments run: return await RunAsync(run, stdout, stderr, environment);
            case ReportArguments report: return (Report(report, stderr), null);
            case PublishArguments publish: return (Publish(publish, stdout, stderr), null);
            case BenchArguments bench:
                stdout.WriteLine((await Bench.RunAsync(bench.Cells)).Describe());
                return (Ok, null);
            default:
                stdout.WriteLine(CommandLine.Usage);
                return (Ok, null);
        }
    }

    public static async Task<(int, RunResult?)> RunAsync(RunArguments a, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        NotebookDocument doc;
        IReadOnlyList<InjectedParameter> injected;
        try
        {
            doc = NotebookDocument.Load(a.Notebook);
            injected = ParameterInjector.Inject(doc, a.Parameters, environment, w => stderr.WriteLine($"[runner] warning: {w}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or FormatException)
        {
            stderr.WriteLine($"NotebookRunner: {a.Notebook}: {e.Message}");
            return (BadInput, null);
        }
        foreach (var p in injected)
            stderr.WriteLine($"[runner] parameter {p.Name} = {p.Literal} ({p.Origin})");

        // Cells run in the notebook's folder, so relative output paths are fixed to the caller's folder first.
        var output = Path.GetFullPath(a.Output);
        var html = a.Html is null ? null : Path.GetFullPath(a.Html);
        var notebookDirectory = Path.GetDirectoryName(Path.GetFullPath(a.Notebook))!;
        var outputDirectory = Path.GetDirectoryName(output)!;
        var options = new ExecutionOptions
        {
            NotebookPath = a.Notebook,
            OutputPath = a.Output,
            CellTimeout = a.CellTimeout,
            Log = stderr,
            EchoOut = stdout,
            EchoError = stderr,
            Checkpoint = d => Relocation.Relocated(d, notebookDirectory, outputDirectory).Save(output, durable: false),
            Parameters = ParameterInjector.ToJson(injected),
        };
        RunResult result;
        try
        {
            result = await NotebookExecutor.RunAsync(doc, options);
        }
        catch (UnsupportedNotebookException e)
        {
            stderr.WriteLine($"NotebookRunner: {a.Notebook}: {e.Message}");
            return (BadInput, null);
        }
        doc = Relocation.Relocated(doc, notebookDirectory, outputDirectory);
        doc.Save(output);
        if (html is not null)
            AtomicFile.WriteAllText(html, HtmlReport.Render(doc, Path.GetFileNameWithoutExtension(a.Notebook)));

        if (result.Succeeded)
        {
            stderr.WriteLine($"[runner] {a.Notebook}: {result.Cells.Count} cells ran in {result.Duration.TotalSeconds:0.##} s → {a.Output}" +
                             (a.Html is null ? "" : $", {a.Html}"));
            return (Ok, result);
        }
        var failed = result.FailedCell!;
        stderr.WriteLine($"NotebookRunner: {a.Notebook}: cell {failed.CellNumber} (id {failed.Id}) failed: {ErrorOutputs.Summary(result.Error!)}");
        foreach (var line in result.Error!.Traceback) stderr.WriteLine($"    {line}");
        stderr.WriteLine($"NotebookRunner: later cells were not run; the executed notebook (outputs so far) is in {a.Output}" +
                         (a.Html is null ? "" : $" and {a.Html}"));
        return (CellFailed, result);
    }

    static int Publish(PublishArguments a, TextWriter stdout, TextWriter stderr)
    {
        foreach (var notebook in a.Notebooks)
        {
            try
            {
                var doc = NotebookDocument.Load(notebook);
                Directory.CreateDirectory(a.Directory);
                var target = Path.Combine(a.Directory, Path.GetFileName(notebook));
                Publishing.Publish(doc, Path.GetDirectoryName(Path.GetFullPath(notebook))!, a.Directory).Save(target);
                stdout.WriteLine(target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                stderr.WriteLine($"NotebookRunner: {notebook}: {e.Message}");
                return BadInput;
            }
        }
        return Ok;
    }

    static int Report(ReportArguments a, TextWriter stderr)
    {
        try
        {
            var doc = NotebookDocument.Load(a.Notebook);
            AtomicFile.WriteAllText(a.Html, HtmlReport.Render(doc, Path.GetFileNameWithoutExtension(a.Notebook)));
            return Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            stderr.WriteLine($"NotebookRunner: {a.Notebook}: {e.Message}");
            return BadInput;
        }
    }
}
