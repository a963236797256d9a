// Measures what the runner itself costs per cell: a notebook of N trivial cells run exactly as `run` runs one
// (checkpoint written after every cell), with session start-up reported separately.
using NotebookRunner.Execution;
using NotebookRunner.Notebook;

namespace NotebookRunner.Cli;

public sealed record BenchResult(int Cells, TimeSpan Startup, TimeSpan Total, IReadOnlyList<TimeSpan> PerCell)
{
    public double MeanCellMs => PerCell.Average(t => t.TotalMilliseconds);
    public double MedianCellMs => PerCell.Select(t => t.TotalMilliseconds).Order().ElementAt(PerCell.Count / 2);
    public double MaxCellMs => PerCell.Max(t => t.TotalMilliseconds);
    /// <summary>Everything but start-up, divided by the number of cells: compile, run, outputs, metadata, checkpoint write.</summary>
    public double OverheadPerCellMs => (Total - Startup).TotalMilliseconds / Cells;

    public string Describe() =>
        $"bench: {Cells} trivial cells; session start-up {Startup.TotalMilliseconds:0} ms; " +
        $"per cell: compile+run mean {MeanCellMs:0.0} ms, median {MedianCellMs:0.0} ms, max {MaxCellMs:0.0} ms; " +
        $"total overhead per cell (incl. outputs, metadata, checkpoint write) {OverheadPerCellMs:0.0} ms; wall {Total.TotalSeconds:0.00} s";
}

public static class Bench
{
    public static async Task<BenchResult> RunAsync(int cells, string? directory = null)
    {
        var dir = directory ?? Directory.CreateTempSubdirectory("notebook-runner-bench-").FullName;
        try
        {
            var doc = NotebookDocument.CreateEmpty();
            for (int i = 0; i < cells; i++)
                doc.Cells.Add(NotebookCell.NewCode(i % 2 == 0 ? $"var x{i} = {i};" : $"x{i - 1} + {i}"));
            var path = Path.Combine(dir, "bench.ipynb");
            doc.Save(path);
            var output = Path.Combine(dir, "bench.executed.ipynb");
            var result = await NotebookExecutor.RunAsync(doc, new ExecutionOptions
            {
                NotebookPath = path,
                OutputPath = output,
                Checkpoint = d => d.Save(output),
            });
            if (!result.Succeeded) throw new InvalidOperationException($"bench notebook failed: {result.Error?.EValue}");
            return new BenchResult(cells, result.Startup, result.Duration, result.Cells.Select(c => c.Duration).ToArray());
        }
        finally
        {
            if (directory is null) Directory.Delete(dir, recursive: true);
        }
    }
}
