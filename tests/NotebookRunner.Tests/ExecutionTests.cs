// Cells share the kernel's state, run in the notebook's folder, load the package's assemblies from its build output
// with #r, and the run stops at the first failing cell with its number, a non-zero exit code and the notebook
// (outputs so far) still written.
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
        Assert.Contains("<pre>42</pre>", CliRun.Text(result["data"]!["text/html"]));
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
        Assert.Contains("Fail()", traceback);                        // the frame that threw

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
        var run = await Cli.RunCellsAsync(dir,
            "var ok = 1;",
            "var a = 1;\n\nvar b = notDefined + a;\nint c = \"text\";");

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.OfType(1, "error"));
        Assert.Equal(ErrorOutputs.CompilationErrorName, error["ename"]!.GetValue<string>());
        var evalue = error["evalue"]!.GetValue<string>();
        Assert.Contains("(3,9): error CS0103: The name 'notDefined' does not exist", evalue);
        Assert.Contains("(4,9): error CS0029", evalue);
        Assert.Contains("cell 2", run.Stderr);
        Assert.Contains("(3,9): error CS0103", run.Stderr);
        Assert.Equal(2, run.Cell(1)["execution_count"]!.GetValue<int>());   // attempted, as Jupyter counts it
    }

    [Fact]
    public async Task CellsRunInTheNotebookFolderWithThePackagesBuildOutput()
    {
        using var dir = new TempDir();
        var before = Environment.CurrentDirectory;
        var run = await Cli.RunCellsAsync(dir,
            "System.IO.File.WriteAllText(\"written-by-cell.txt\", \"x\");",
            Repo.SetupCell("TorchSharp"),
            "typeof(TorchSharp.torch).Assembly.Location + \" | \" + torch.ones(3).sum().item<float>()");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(dir.File("written-by-cell.txt")));
        Assert.Equal(before, Environment.CurrentDirectory);
        // TorchSharp and its patched native library come from lib/Compression.Notebooks' build output, not the NuGet cache.
        Assert.Contains($"{Path.Combine(Repo.NotebooksBin, "TorchSharp.dll")} | 3", CliRun.Text(Assert.Single(run.OfType(2, "execute_result"))["data"]!["text/plain"]));
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
        // The cell would write a marker after 30 s; the run must return (exit 1, a timeout error, the next cell not run)
        // before it does. No wall-clock bound on the run itself: starting the kernel under load takes what it takes.
        // (The abandoned cell's late write finds the folder gone and ignores that.)
        using var dir = new TempDir();
        var marker = dir.File("cell-finished");
        var slowCell = $"await Task.Delay(30_000); try {{ System.IO.File.WriteAllText(@\"{marker}\", \"\"); }} catch (System.IO.IOException) {{ }}";
        var run = await Cli.RunCellsAsync(dir, [Nb.Code(slowCell), Nb.Code("1")], ["--timeout-per-cell", "0.5"]);
        Assert.False(File.Exists(marker), "the run waited for the cell instead of timing out");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ErrorOutputs.TimeoutErrorName, Assert.Single(run.OfType(0, "error"))["ename"]!.GetValue<string>());
        Assert.Null(run.Cell(1)["execution_count"]);
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
