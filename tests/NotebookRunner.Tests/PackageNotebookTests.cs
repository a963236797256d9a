// Every notebook of the package runs headless on the smoke budget: a cell that throws fails the test.
// Results, checkpoints and the executed notebooks go to a temporary folder; the data is the real MNIST.
using Datasets;

namespace NotebookRunner.Tests;

public class PackageNotebookTests
{
    static string NotebooksDirectory =>
        Path.Combine(DataDirectory.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("repository root not found"), "notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebooksDirectory, "*.ipynb").Order()) data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void ThereIsANotebookPerExperiment() =>
        Assert.True(Directory.GetFiles(NotebooksDirectory, "*.ipynb").Length >= 3);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task RunsOnTheSmokeBudget(string notebook)
    {
        using var dir = new TempDir();
        var data = DataDirectory.Default();
        var run = await Cli.RunAsync(["run", Path.Combine(NotebooksDirectory, notebook), "--output", dir.File(notebook), "--html", dir.File("report.html"),
            "-p", "budget=smoke", "-p", $"dataDir={data}", "-p", $"outputDir={dir.File("results")}", "-p", $"checkpointDir={dir.File("checkpoints")}"]);
        Assert.True(run.ExitCode == 0, $"{notebook} failed:\n{run.Stderr}");
        NbformatChecks.AssertValid(run.Output!);
        Assert.DoesNotContain("<script src=\"http", File.ReadAllText(dir.File("report.html")));
    }
}
