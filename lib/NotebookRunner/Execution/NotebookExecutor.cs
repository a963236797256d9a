// Runs a notebook's C# cells in order in the .NET Interactive C# kernel (in this process), papermill style: outputs
// are cleared first, cells for other kernels are refused before anything runs, execution stops at the first failing
// cell, and the notebook as it stands is handed to a checkpoint after every cell.
using System.Diagnostics;
using System.Text.Json.Nodes;
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

    sealed record PlannedCell(int Number, NotebookCell Cell)
    {
        public string Label => $"cell {Number} (id {Cell.Id})";
    }

    public static async Task<RunResult> RunAsync(NotebookDocument doc, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
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
        RunMetadata.Begin(doc, start, options);
        var gate = new Lock();
        var live = new List<(NotebookCell Cell, CellOutputs Outputs)>();
        var runs = new List<CellRun>();
        var startup = TimeSpan.Zero;

        // Cells for another kernel (cell metadata) are refused before any cell runs: the in-process kernel is C# only,
        // and a notebook that needs more fails in seconds, not after its training cells.
        var plan = new List<PlannedCell>();
        for (int i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            if (!cell.IsCode || cell.HasTag(SkipTag)) continue;
            if (cell.MetadataKernelName is { } k && !PolyglotMetadata.IsCSharp(k))
            {
                var label = $"cell {i + 1} (id {cell.Id})";
                var error = ErrorOutputs.Directive(
                    $"this cell is for the '{k}' kernel; NotebookRunner runs C# cells only (csharp). Move the code to C# or out of the notebook.", label);
                cell.Outputs = [error.ToJson()];
                return Finish(doc, options, start, startup, runs, new CellRun(i + 1, cell.Id!, 0, "failed", TimeSpan.Zero), error);
            }
            plan.Add(new PlannedCell(i + 1, cell));
        }

        var savedDirectory = Environment.CurrentDirectory;
        var notebookDirectory = Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!;
        // The kernel resolves #r, #load and relative paths against the working directory, as Jupyter does: the notebook's folder.
        Directory.SetCurrentDirectory(notebookDirectory);
        KernelSession? session = null;
        try
        {
            var startClock = Stopwatch.StartNew();
            session = new KernelSession(gate, options.EchoOut, options.EchoError);
            startup = startClock.Elapsed;
            int executionCount = 0;
            foreach (var planned in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cell = planned.Cell;
                if (string.IsNullOrWhiteSpace(cell.Source)) continue;
                cell.ExecutionCount = ++executionCount;
                var outputs = new CellOutputs(gate, executionCount);
                live.Add((cell, outputs));
                options.Log.WriteLine($"[runner] {planned.Label} of {doc.Cells.Count}: running");

                var cellStart = DateTimeOffset.Now;
                var clock = Stopwatch.StartNew();
                var error = await ExecuteAsync(session, planned, outputs, options, cancellationToken);
                clock.Stop();
                if (error is not null) outputs.Add(error);

                bool failed = error is not null && !(cell.HasTag(RaisesTag) && error.EName != ErrorOutputs.TimeoutErrorName);
                var status = failed ? "failed" : "completed";
                var run = new CellRun(planned.Number, cell.Id!, executionCount, status, clock.Elapsed);
                runs.Add(run);
                RunMetadata.Cell(cell, cellStart, DateTimeOffset.Now, status);
                Flush(live, gate);
                options.Log.WriteLine($"[runner] {planned.Label}: {(error is null ? "ok" : failed ? "FAILED" : "raised as expected")} in {clock.Elapsed.TotalSeconds:0.###} s");
                if (failed)
                {
                    // A timed-out cell still runs on its thread: the kernel is abandoned with it, not disposed.
                    if (error!.EName == ErrorOutputs.TimeoutErrorName) session = null;
                    return Finish(doc, options, start, startup, runs, run, error, () => Flush(live, gate));
                }
                options.Checkpoint?.Invoke(doc);
            }
        }
        finally
        {
            session?.Dispose();
            Directory.SetCurrentDirectory(savedDirectory);
        }
        Flush(live, gate);
        return Finish(doc, options, start, startup, runs, null, null);
    }

    static async Task<ErrorOutput?> ExecuteAsync(KernelSession session, PlannedCell planned, CellOutputs outputs,
        ExecutionOptions options, CancellationToken cancellationToken)
    {
        var task = Task.Run(() => session.SubmitAsync(planned.Cell.Source, outputs, planned.Label, cancellationToken), cancellationToken);
        try
        {
            return options.CellTimeout is { } limit ? await task.WaitAsync(limit, cancellationToken) : await task;
        }
        catch (TimeoutException)
        {
            return ErrorOutputs.Timeout(options.CellTimeout!.Value, planned.Label);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ErrorOutputs.Exception(e);
        }
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
