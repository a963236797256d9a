// Polyglot directives the runner handles itself, and the ones it refuses before running anything.
namespace NotebookRunner.Tests;

public class DirectiveTests
{
    [Fact]
    public async Task HostPackagesAndAssembliesAreAccepted()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget:Plotly.NET,6.0.0\"\n#r \"nuget: Deedle\"\n#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"nuget: TorchSharp-cuda-linux, 0.107.*\"\n" +
            "#r \"../../anywhere/bin/Compression.dll\"\n#i \"nuget: https://example.org/feed\"\nusing Deedle;",
            "typeof(Compression.Training.Devices).Assembly.GetName().Name");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("Compression", CliRun.Text(Assert.Single(run.OfType(1, "execute_result"))["data"]!["text/plain"]));
        Assert.Contains("#r \"nuget: TorchSharp-cuda-linux, 0.107.*\" → provided by the runner (TorchSharp 0.107.0 (TorchSharp-cpu))", run.Stderr);
        Assert.Contains("#r \"nuget: Plotly.NET.Interactive, 6.0.0\" → provided by the runner (formatters built into the runner for Plotly.NET 6.0.0)", run.Stderr);
    }

    [Theory]
    [InlineData("#r \"nuget: Newtonsoft.Jsonx, 13.0.1\"", "does not provide")]
    [InlineData("#r \"nuget: Plotly.NET, 5.1.0\"", "asks for NuGet package Plotly.NET 5.1.0, but NotebookRunner provides Plotly.NET 6.0.0")]
    [InlineData("#!fsharp\nlet x = 1", "'fsharp' kernel")]
    [InlineData("var a = 1;\n#!pwsh", "switches to another kernel")]
    [InlineData("#!who", "#!who is unsupported in the headless runner")]
    [InlineData("#!set --name x --value 1", "#!set is unsupported in the headless runner")]
    public async Task UnsupportedDirectivesFailBeforeAnyCellRuns(string cell, string message)
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "Console.WriteLine(\"ran\");", cell);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Contains("cell 2", run.Stderr);
        Assert.DoesNotContain("ran", run.Stdout);
        Assert.Null(run.Cell(0)["execution_count"]);
        var error = Assert.Single(run.OfType(1, "error"));
        Assert.Equal("DirectiveError", error["ename"]!.GetValue<string>());
        NbformatChecks.AssertValid(run.Output!);
    }

    [Fact]
    public async Task CellMetadataNamingAnotherKernelFails()
    {
        using var dir = new TempDir();
        var cell = Nb.Code("let x = 1");
        cell.Metadata["polyglot_notebook"]!["kernelName"] = "fsharp";
        var run = await Cli.RunCellsAsync(dir, [cell]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'fsharp' kernel", run.Stderr);
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
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    public async Task CommandLineErrors(string[] args, string message)
    {
        var run = await Cli.RunAsync(args);
        Assert.Equal(args.Length == 0 ? 0 : 2, run.ExitCode);
        Assert.Contains(message, run.Stdout + run.Stderr);
    }
}
