// Measures what the runner itself costs per cell: a notebook of N trivial cells run exactly as `run` runs one
// (checkpoint written after every cell), with session start-up and the first cells' warm-up reported separately.
using NotebookRunner.Execution;
using NotebookRunner.Notebook;

namespace NotebookRunner.Cli;

public sealed record BenchResult(int Cells, TimeSpan Startup, TimeSpan Total, IReadOnlyList<TimeSpan> PerCell)
{
    /// <summary>The first cells pay JIT and formatter warm-up; steady state is measured after them.</summary>
    public const int WarmUpCells = 5;

    IEnumerable<double> Steady => PerCell.Skip(Math.Min(WarmUpCells, PerCell.Count - 1)).Select(t => t.TotalMilliseconds);
    public double WarmUpMs => PerCell.Take(Math.Min(WarmUpCells, PerCell.Count - 1)).Sum(t => t.TotalMilliseconds);
    public double SteadyMeanMs => Steady.Average();
    public double SteadyMedianMs => Steady.Order().ElementAt(Steady.Count() / 2);
    /// <summary>Time outside the cells' compile+run (outputs, metadata, checkpoint write), per cell.</summary>
    public double BookkeepingPerCellMs => ((Total - Startup).TotalMilliseconds - PerCell.Sum(t => t.TotalMilliseconds)) / Cells;
    /// <summary>Everything but session start-up, divided by the number of cells.</summary>
    public double OverheadPerCellMs => (Total - Startup).TotalMilliseconds / Cells;

    public string Describe() =>
        $"bench: {Cells} trivial cells, wall {Total.TotalSeconds:0.00} s; session start-up {Startup.TotalMilliseconds:0} ms; " +
        $"first {WarmUpCells} cells (warm-up) {WarmUpMs:0} ms; then compile+run per cell mean {SteadyMeanMs:0.0} ms, " +
        $"median {SteadyMedianMs:0.0} ms; bookkeeping (outputs, metadata, checkpoint write) {BookkeepingPerCellMs:0.0} ms per cell; " +
        $"all-in overhead per cell after start-up {OverheadPerCellMs:0.0} ms";
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
                Checkpoint = d => d.Save(output, durable: false),
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
