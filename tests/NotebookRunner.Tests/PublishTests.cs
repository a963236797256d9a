// `publish` copies executed notebooks into another folder, to be committed: directive paths and the recorded source
// path rewritten for that folder, the copy of plotly.js that the first chart carries removed, nothing else changed.
using System.Text.Json.Nodes;
using NotebookRunner.Notebook;

namespace NotebookRunner.Tests;

public class PublishTests
{
    [Fact]
    public async Task PublishedCopyRunsWhereItLiesWithoutPlotlyCopies()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("notebooks"));
        var source = Nb.Write(dir.File("notebooks/n.ipynb"),
            Repo.SetupCell("Compression.Notebooks.Display") + "\nNotebookFormatting.Register();",
            "Compression.Notebooks.Plots.Lines(\"x\", \"y\", [new Compression.Notebooks.Series(\"s\", [1.0, 2.0], [3.0, 4.0])])");
        // The setup cell's #r paths, made relative to the notebook's folder as the package's notebooks write them.
        var doc = NotebookDocument.Load(source);
        doc.Cells[0].Source = doc.Cells[0].Source.Replace(Repo.Root + "/", Path.GetRelativePath(dir.File("notebooks"), Repo.Root) + "/");
        doc.Save(source);
        var run = await Cli.RunAsync(["run", source, "--output", dir.File("artifacts/quick/n.ipynb")]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(Publishing.PlotlyLibraryBegin, File.ReadAllText(run.OutputPath!));

        var published = await Cli.RunAsync(["publish", run.OutputPath!, "--to", dir.File("results/notebooks/quick")]);
        Assert.Equal(0, published.ExitCode);
        var target = dir.File("results/notebooks/quick/n.ipynb");
        Assert.Contains(target, published.Stdout);
        var text = File.ReadAllText(target);
        Assert.DoesNotContain(Publishing.PlotlyLibraryBegin, text);
        Assert.Contains("Plotly.newPlot", text);                                 // the chart itself stays
        Assert.True(text.Length < 100_000, $"{text.Length} characters");

        var copy = NotebookDocument.Load(target);
        Assert.All(Relocation.DirectivePaths(copy), p => Assert.True(File.Exists(Path.Combine(dir.File("results/notebooks/quick"), p)), p));
        var input = ((JsonObject)copy.Metadata["notebook_runner"]!)["input_path"]!.GetValue<string>();
        Assert.Equal("../../../notebooks/n.ipynb", input);

        // And it runs again from there.
        var rerun = await Cli.RunAsync(["run", target, "--output", dir.File("rerun/n.ipynb")]);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
    }

    [Fact]
    public void PublishingIntoAnotherCheckoutKeepsPathsInsideThatCheckout()
    {
        // Executed in a fresh clone (a/), committed from the working copy (b/, a worktree: .git is a file). The #r into
        // the clone's own lib/ must become b's lib/, not a path into a/ (which published "../../../../clone-rep/lib/...").
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a/.git"));
        Directory.CreateDirectory(dir.File("a/artifacts/quick"));
        Directory.CreateDirectory(dir.File("b"));
        File.WriteAllText(dir.File("b/.git"), "gitdir: elsewhere\n");
        var outside = dir.File("shared/tool.dll");
        var doc = NotebookDocument.Load(Nb.Write(dir.File("a/artifacts/quick/n.ipynb"),
            "#r \"../../lib/X.dll\"\n#r \"nuget:Some.Package, 1.0.0\"\n#r \"../../../shared/tool.dll\""));

        var published = Relocation.Relocated(doc, dir.File("a/artifacts/quick"), dir.File("b/results/notebooks/quick"));
        Assert.Equal(["../../../lib/X.dll", "../../../../shared/tool.dll"], Relocation.DirectivePaths(published));
        Assert.Equal(outside, Path.GetFullPath(Path.Combine(dir.File("b/results/notebooks/quick"), Relocation.DirectivePaths(published)[1])));
        Assert.Contains("#r \"nuget:Some.Package, 1.0.0\"", published.Cells[0].Source);

        var sameCheckout = Relocation.Relocated(doc, dir.File("a/artifacts/quick"), dir.File("a/results/notebooks/quick"));
        Assert.Equal("../../../lib/X.dll", Relocation.DirectivePaths(sameCheckout)[0]);
    }
}
