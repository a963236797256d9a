// Cells share one script state, run in the notebook's folder against the host's assemblies, and the run stops at
// the first failing cell with its number, a non-zero exit code and the notebook (outputs so far) still written.
using NotebookRunner.Execution;

namespace NotebookRunner.Tests;

public class ExecutionTests
{
    [Fact]
    public async Task StateCarriesAcrossCells()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            "var x = 40;",
            "int Add(int a) => a + x;\nrecord Point(int X, int Y);",
            "var p = new Point(1, 1);\nAdd(p.X + p.Y)");
        Assert.Equal(0, run.ExitCode);
        var result = Assert.Single(run.OfType(2, "execute_result"));
        Assert.Equal("42", CliRun.Text(result["data"]!["text/plain"]));
        Assert.Equal(3, result["execution_count"]!.GetValue<int>());
        Assert.Equal([1, 2, 3], Enumerable.Range(0, 3).Select(i => run.Cell(i)["execution_count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task FailingCellStopsTheRunAndIsReported()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
        [
            Nb.Markdown("# title"),
            Nb.Code("Console.WriteLine(\"first\");"),
            Nb.Code("void Fail() => throw new InvalidOperationException(\"boom\");\nFail();"),
            Nb.Code("Console.WriteLine(\"never\");"),
        ]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cell 3", run.Stderr);
        Assert.Contains("InvalidOperationException: boom", run.Stderr);
        Assert.DoesNotContain("never", run.Stdout);

        var error = Assert.Single(run.OfType(2, "error"));
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        var traceback = string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("notebook.ipynb#cell3:line 1", traceback);   // debug info: the cell and line of the throw

        Assert.Null(run.Cell(3)["execution_count"]);
        Assert.Empty(run.Outputs(3));
        Assert.Equal("first\n", CliRun.Text(Assert.Single(run.OfType(1, "stream"))["text"]));

        var meta = run.Output!["metadata"]![RunMetadata.Key]!;
        Assert.Equal("failed", meta["status"]!.GetValue<string>());
        Assert.Equal(3, meta["failed_cell"]!["cell_number"]!.GetValue<int>());
        Assert.Equal("failed", run.Cell(2)["metadata"]![RunMetadata.Key]!["status"]!.GetValue<string>());
        NbformatChecks.AssertValid(run.Output);
    }

    [Fact]
    public async Task CompileErrorsCarryCellLineNumbers()
    {
        using var dir = new TempDir();
        // The directive lines are blanked, not removed, so line 4 stays line 4.
        var run = await Cli.RunCellsAsync(dir,
            "var ok = 1;",
            "#!csharp\n#r \"nuget: Deedle, 8.1.0\"\nvar a = 1;\nvar b = notDefined + a;\nint c = \"text\";");

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.OfType(1, "error"));
        Assert.Equal(ErrorOutputs.CompilationErrorName, error["ename"]!.GetValue<string>());
        var evalue = error["evalue"]!.GetValue<string>();
        Assert.Contains("(4,9): error CS0103: The name 'notDefined' does not exist", evalue);
        Assert.Contains("(5,9): error CS0029", evalue);
        Assert.Contains("cell 2", run.Stderr);
        Assert.Contains("(4,9): error CS0103", run.Stderr);
        Assert.Equal(2, run.Cell(1)["execution_count"]!.GetValue<int>());   // attempted, as Jupyter counts it
    }

    [Fact]
    public async Task CellsRunInTheNotebookFolderWithTheHostsAssemblies()
    {
        using var dir = new TempDir();
        var before = Environment.CurrentDirectory;
        var run = await Cli.RunCellsAsync(dir,
            "System.IO.File.WriteAllText(\"written-by-cell.txt\", \"x\");",
            "AppDomain.CurrentDomain.SetData(\"runner-test-torch\", typeof(TorchSharp.torch).Assembly);\n" +
            "AppDomain.CurrentDomain.SetData(\"runner-test-plotly\", typeof(Plotly.NET.GenericChart).Assembly);");
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(dir.File("written-by-cell.txt")));
        Assert.Equal(before, Environment.CurrentDirectory);
        Assert.Same(typeof(TorchSharp.torch).Assembly, AppDomain.CurrentDomain.GetData("runner-test-torch"));
        Assert.Same(typeof(Plotly.NET.GenericChart).Assembly, AppDomain.CurrentDomain.GetData("runner-test-plotly"));
    }

    [Fact]
    public async Task RelativeOutputPathsAreTheCallersNotTheNotebooks()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("nb"));
        Nb.Write(dir.File("nb/notebook.ipynb"), "Console.WriteLine(1);", "2");
        var before = Environment.CurrentDirectory;
        Directory.SetCurrentDirectory(dir.Path);
        try
        {
            var run = await Cli.RunAsync(["run", "nb/notebook.ipynb", "--output", "out/executed.ipynb", "--html", "out/report.html"]);
            Assert.Equal(0, run.ExitCode);
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
        Assert.True(File.Exists(dir.File("out/executed.ipynb")));
        Assert.True(File.Exists(dir.File("out/report.html")));
        Assert.False(Directory.Exists(dir.File("nb/out")), "a checkpoint was written relative to the notebook's folder");
    }

    [Fact]
    public async Task CellTimeoutFailsTheRun()
    {
        using var dir = new TempDir();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await Cli.RunCellsAsync(dir, [Nb.Code("await Task.Delay(3000);"), Nb.Code("1")], ["--timeout-per-cell", "0.5"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.9), "the run waited for the cell instead of timing out");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ErrorOutputs.TimeoutErrorName, Assert.Single(run.OfType(0, "error"))["ename"]!.GetValue<string>());
        Assert.Null(run.Cell(1)["execution_count"]);
        await Task.Delay(3000 - (int)Math.Min(3000, clock.ElapsedMilliseconds));   // let the abandoned cell finish
    }

    [Fact]
    public async Task RaisesExceptionTagLetsTheRunContinue()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, [Nb.Code("throw new ArgumentException(\"expected\");", "raises-exception"), Nb.Code("2")]);
        Assert.Equal(0, run.ExitCode);
        Assert.Single(run.OfType(0, "error"));
        Assert.Single(run.OfType(1, "execute_result"));
    }
}
