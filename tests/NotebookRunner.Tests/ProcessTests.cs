// The real executable, as `make` and CI call it: exit codes and stderr of a separate process.
using System.Diagnostics;

namespace NotebookRunner.Tests;

public class ProcessTests
{
    [Fact]
    public async Task FailingNotebookExitsWithOneAndNamesTheCell()
    {
        using var dir = new TempDir();
        var input = Nb.Write(dir.File("nb.ipynb"), [Nb.Markdown("# x"), Nb.Code("Console.WriteLine(\"one\");"), Nb.Code("var y = 1 / int.Parse(\"0\");"), Nb.Code("Console.WriteLine(\"never\");")]);
        var runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        Assert.True(File.Exists(Path.ChangeExtension(runner, ".runtimeconfig.json")), "the runner's runtimeconfig is not next to the tests");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir.Path,
        };
        foreach (var a in new[] { runner, "run", input, "--output", dir.File("out.ipynb"), "--html", dir.File("out.html") }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("cell 3", await stderr);
        Assert.Contains("DivideByZeroException", await stderr);
        Assert.Contains("one", await stdout);
        Assert.DoesNotContain("never", await stdout);
        Assert.True(File.Exists(dir.File("out.ipynb")));
        Assert.True(File.Exists(dir.File("out.html")));
    }
}
