// The runner's own cost per cell, measured on 50 trivial cells and printed (no timing asserts: machines differ).
using NotebookRunner.Cli;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

public class BenchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MeasuresOverheadPerCell()
    {
        var result = await Bench.RunAsync(50);
        output.WriteLine(result.Describe());
        Console.WriteLine(result.Describe());
        Assert.Equal(50, result.PerCell.Count);
        Assert.True(result.OverheadPerCellMs > 0);
    }
}
