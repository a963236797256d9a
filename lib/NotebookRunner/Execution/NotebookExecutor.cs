// Runs a notebook's C# cells in order in one script session, papermill style: outputs are cleared first, every
// directive is checked before anything runs, execution stops at the first failing cell, and the notebook as it stands
// is handed to a checkpoint after every cell.
using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner.Display;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public sealed record CellRun(int CellNumber, string Id, int ExecutionCount, string Status, TimeSpan Duration);

public sealed record RunResult(
    bool Succeeded,
    CellRun? FailedCell,
    ErrorOutput? Error,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Startup,
    IReadOnlyList<CellRun> Cells)
{
    public TimeSpan Duration => End - Start;
    /// <summary>A cell ran past the per-cell timeout and may still be running on a background thread.</summary>
    public bool TimedOut => Error?.EName == ErrorOutputs.TimeoutErrorName;
}

/// <summary>The notebook as a whole cannot be run by this runner (e.g. an F# notebook).</summary>
public sealed class UnsupportedNotebookException(string message) : Exception(message);

public static class NotebookExecutor
{
    public const string ParametersTag = "parameters";
    public const string SkipTag = "skip-execution";
    public const string RaisesTag = "raises-exception";

    sealed record PlannedCell(int Number, NotebookCell Cell, PreparedCell Prepared)
    {
        public string Label => $"cell {Number} (id {Cell.Id})";
    }

    public static async Task<RunResult> RunAsync(NotebookDocument doc, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
        var host = HostEnvironment.Current;
        // Decided before Normalize, which would add C# kernel metadata where there is none.
        var defaultKernel = PolyglotMetadata.DefaultKernel(doc.Metadata);
        if (defaultKernel is not null && !PolyglotMetadata.IsCSharp(defaultKernel))
            throw new UnsupportedNotebookException(
                $"the notebook's kernel is '{defaultKernel}'; NotebookRunner runs C# (.net-csharp) notebooks only");
        doc.Normalize();

        foreach (var cell in doc.Cells.Where(c => c.IsCode))
        {
            cell.Outputs = [];
            cell.ExecutionCount = null;
            RunMetadata.Clear(cell);
        }
        var start = DateTimeOffset.Now;
        RunMetadata.Begin(doc, start, options, host);
        var gate = new Lock();
        var live = new List<(NotebookCell Cell, CellOutputs Outputs)>();
        var runs = new List<CellRun>();
        var startup = TimeSpan.Zero;

        // Every directive is checked before any cell runs: a notebook asking for a package the runner lacks fails
        // in seconds, not after the training cells.
        var plan = new List<PlannedCell>();
        for (int i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            if (!cell.IsCode || cell.HasTag(SkipTag)) continue;
            try
            {
                plan.Add(new PlannedCell(i + 1, cell, CellPreprocessor.Prepare(cell.Source, cell.MetadataKernelName, host)));
            }
            catch (DirectiveException e)
            {
                var label = $"cell {i + 1} (id {cell.Id})";
                var error = ErrorOutputs.Directive(e, label);
                cell.Outputs = [error.ToJson()];
                return Finish(doc, options, start, startup, runs, new CellRun(i + 1, cell.Id!, 0, "failed", TimeSpan.Zero), error);
            }
        }

        var savedDirectory = Environment.CurrentDirectory;
        var notebookDirectory = Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!;
        NotebookFormatters.Configure();
        Directory.SetCurrentDirectory(notebookDirectory);
        var capture = new ConsoleCapture(options.EchoOut, options.EchoError);
        try
        {
            var startClock = Stopwatch.StartNew();
            var session = await ScriptSession.StartAsync(notebookDirectory, host, cancellationToken);
            startup = startClock.Elapsed;
            int executionCount = 0;
            foreach (var planned in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (planned.Prepared.IsEmpty) continue;
                var cell = planned.Cell;
                cell.ExecutionCount = ++executionCount;
                var outputs = new CellOutputs(gate);
                live.Add((cell, outputs));
                capture.Target = outputs;
                DisplayContext.Current = outputs;
                options.Log.WriteLine($"[runner] {planned.Label} of {doc.Cells.Count}: running");
                foreach (var note in planned.Prepared.Notes) options.Log.WriteLine($"[runner]   {note}");

                var cellStart = DateTimeOffset.Now;
                var clock = Stopwatch.StartNew();
                var error = await ExecuteAsync(session, planned, executionCount, outputs, options, notebookDirectory, cancellationToken);
                clock.Stop();
                if (planned.Prepared.MeasureTime)
                    outputs.Add(new DisplayOutput([KeyValuePair.Create(MimeBundle.PlainText, $"Wall time: {clock.Elapsed.TotalMilliseconds:0.###}ms")]));
                if (error is not null) outputs.Add(error);

                bool failed = error is not null && !(cell.HasTag(RaisesTag) && error.EName != ErrorOutputs.TimeoutErrorName);
                var status = failed ? "failed" : "completed";
                var run = new CellRun(planned.Number, cell.Id!, executionCount, status, clock.Elapsed);
                runs.Add(run);
                RunMetadata.Cell(cell, cellStart, DateTimeOffset.Now, status);
                Flush(live, gate);
                options.Log.WriteLine($"[runner] {planned.Label}: {(error is null ? "ok" : failed ? "FAILED" : "raised as expected")} in {clock.Elapsed.TotalSeconds:0.###} s");
                if (failed)
                    return Finish(doc, options, start, startup, runs, run, error!, () => Flush(live, gate));
                options.Checkpoint?.Invoke(doc);
            }
        }
        finally
        {
            capture.Dispose();
            DisplayContext.Current = null;
            Directory.SetCurrentDirectory(savedDirectory);
        }
        Flush(live, gate);
        return Finish(doc, options, start, startup, runs, null, null);
    }

    static async Task<ErrorOutput?> ExecuteAsync(ScriptSession session, PlannedCell planned, int executionCount,
        CellOutputs outputs, ExecutionOptions options, string notebookDirectory, CancellationToken cancellationToken)
    {
        var filePath = Path.Combine(notebookDirectory, $"{Path.GetFileName(options.NotebookPath)}#cell{planned.Number}");
        var task = Task.Run(() => session.RunAsync(planned.Prepared.Code, filePath, cancellationToken), cancellationToken);
        SubmissionResult result;
        try
        {
            result = options.CellTimeout is { } limit ? await task.WaitAsync(limit, cancellationToken) : await task;
        }
        catch (TimeoutException)
        {
            // The script cannot be stopped; it is abandoned on its thread-pool thread and the run ends here.
            return ErrorOutputs.Timeout(options.CellTimeout!.Value, planned.Label);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ErrorOutputs.Exception(e);
        }
        if (!result.CompileErrors.IsEmpty) return ErrorOutputs.Compilation(result.CompileErrors, planned.Label);
        if (result.Exception is not null) return ErrorOutputs.Exception(result.Exception);
        if (result.HasReturnValue && result.ReturnValue is not DisplayedValue)
            outputs.Add(new DisplayOutput(MimeBundle.Format(result.ReturnValue), executionCount));
        return null;
    }

    /// <summary>Copies the live outputs into the document (display handles may have changed earlier cells).</summary>
    static void Flush(List<(NotebookCell Cell, CellOutputs Outputs)> live, Lock gate)
    {
        lock (gate)
            foreach (var (cell, outputs) in live) cell.Outputs = outputs.ToJson();
    }

    static RunResult Finish(NotebookDocument doc, ExecutionOptions options, DateTimeOffset start, TimeSpan startup, List<CellRun> runs,
        CellRun? failed, ErrorOutput? error, Action? flush = null)
    {
        flush?.Invoke();
        var end = DateTimeOffset.Now;
        JsonObject? failure = failed is null || error is null ? null : new JsonObject
        {
            ["cell_number"] = failed.CellNumber,
            ["id"] = failed.Id,
            ["ename"] = error.EName,
            ["evalue"] = error.EValue,
        };
        RunMetadata.End(doc, start, end, failed is null, failure);
        options.Checkpoint?.Invoke(doc);
        return new RunResult(failed is null, failed, error, start, end, startup, runs);
    }
}
