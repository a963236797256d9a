// Magic commands and directives are the kernel's: #!csharp selects the C# kernel, #r of a file resolves from the
// notebook's folder, an unknown magic command fails as it does in Jupyter. Cells or notebooks for another kernel are
// refused before anything runs (the runner hosts the C# kernel only).
namespace NotebookRunner.Tests;

public class DirectiveTests
{
    [Fact]
    public async Task KernelSelectorAndRelativeAssemblyReferencesWork()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("lib"));
        File.Copy(Path.Combine(Repo.NotebooksBin, "Datasets.dll"), dir.File("lib/Datasets.dll"));
        var run = await Cli.RunCellsAsync(dir, "#!csharp\n#r \"lib/Datasets.dll\"", "typeof(Datasets.MnistFetcher).Assembly.Location");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(dir.File("lib/Datasets.dll"), CliRun.Text(Assert.Single(run.OfType(1, "execute_result"))["data"]!["text/plain"]));
    }

    [Fact]
    public async Task UnknownMagicCommandFailsAsInTheKernel()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "Console.WriteLine(\"ran\");", "#!frobnicate", "Console.WriteLine(\"not reached\");");
        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.OfType(1, "error"));
        Assert.Equal("KernelError", error["ename"]!.GetValue<string>());
        Assert.Contains("Unknown magic command '#!frobnicate'", error["evalue"]!.GetValue<string>());
        Assert.Contains("cell 2", run.Stderr);
        Assert.DoesNotContain("not reached", run.Stdout);
        NbformatChecks.AssertValid(run.Output!);
    }

    [Fact]
    public async Task CellMetadataNamingAnotherKernelFailsBeforeAnyCellRuns()
    {
        using var dir = new TempDir();
        var cell = Nb.Code("let x = 1");
        cell.Metadata["polyglot_notebook"]!["kernelName"] = "fsharp";
        var run = await Cli.RunCellsAsync(dir, [Nb.Code("Console.WriteLine(\"ran\");"), cell]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'fsharp' kernel", run.Stderr);
        Assert.DoesNotContain("ran", run.Stdout);
        Assert.Equal("DirectiveError", Assert.Single(run.OfType(1, "error"))["ename"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"polyglot_notebook": {"kernelInfo": {"defaultKernelName": "fsharp", "items": [{"name": "fsharp"}]}}}""", "fsharp")]
    [InlineData("""{"kernelspec": {"display_name": ".NET (F#)", "language": "F#", "name": ".net-fsharp"}}""", "fsharp")]
    [InlineData("""{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}""", "python3")]
    public async Task NotebooksOfOtherKernelsAreRefused(string metadata, string kernel)
    {
        using var dir = new TempDir();
        var path = dir.File("other.ipynb");
        File.WriteAllText(path, $$"""{"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": null}], "metadata": {{metadata}}, "nbformat": 4, "nbformat_minor": 4}""");
        var run = await Cli.RunAsync(["run", path, "--output", dir.File("out.ipynb")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"kernel is '{kernel}'", run.Stderr);
        Assert.False(File.Exists(dir.File("out.ipynb")));
    }

    [Theory]
    [InlineData(new string[0], "usage")]
    [InlineData(new[] { "run", "x.ipynb" }, "--output")]
    [InlineData(new[] { "run", "missing.ipynb", "--output", "o.ipynb" }, "missing.ipynb")]
    [InlineData(new[] { "run", "x.ipynb", "--output", "o.ipynb", "-p", "novalue" }, "name=value")]
    [InlineData(new[] { "publish", "x.ipynb" }, "--to")]
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    public async Task CommandLineErrors(string[] args, string message)
    {
        var run = await Cli.RunAsync(args);
        Assert.Equal(args.Length == 0 ? 0 : 2, run.ExitCode);
        Assert.Contains(message, run.Stdout + run.Stderr);
    }
}
