// The reader's path: every notebook of the package, on the smoke budget, executed by Jupyter's own executor
// (`jupyter nbconvert --execute`, nbclient) in the dotnet-interactive Jupyter kernel that `make jupyter` installs
// for readers. `make test` installs Jupyter's tools (environment/jupyter-tools.sh) and the same kernel into
// .kernel/jupyter (environment/jupyter-kernel.sh), which this test points JUPYTER_PATH at. The parameters are
// injected as the runner injects them, into a copy under artifacts/tests/jupyter/ whose #r paths are rewritten
// for its folder; the notebook's own cells run unchanged.
using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner.Notebook;
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

public class JupyterNotebookTests
{
    static string KernelSpecs =>
        Environment.GetEnvironmentVariable("REPRO_JUPYTER_PATH") is { Length: > 0 } p ? p : Repo.Path(".kernel", "jupyter");

    [Theory]
    [MemberData(nameof(PackageNotebookTests.Notebooks), MemberType = typeof(PackageNotebookTests))]
    public async Task RunsInTheJupyterKernelOnTheSmokeBudget(string notebook)
    {
        var spec = Path.Combine(KernelSpecs, "kernels", ".net-csharp", "kernel.json");
        Assert.True(File.Exists(spec),
            $"the Jupyter kernel is not installed ({spec} is missing): `make test` installs it, or run " +
            "environment/jupyter-tools.sh and environment/jupyter-kernel.sh .kernel .kernel/jupyter");

        var name = Path.GetFileNameWithoutExtension(notebook);
        var dir = Repo.Path("artifacts", "tests", "jupyter", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var rel = PackageNotebookTests.RepositoryRelative(dir);
        var doc = NotebookDocument.Load(Repo.Path("notebooks", notebook));
        ParameterInjector.Inject(doc,
            [new("budget", "smoke"), new("dataDir", PackageNotebookTests.RepositoryRelative(Repo.DataDirectory)),
             new("outputDir", $"{rel}/results"), new("checkpointDir", $"{rel}/checkpoints")],
            _ => null, _ => { });
        var input = Path.Combine(dir, notebook);
        Relocation.Relocated(doc, Repo.Path("notebooks"), dir).Save(input);

        var output = Path.Combine(dir, "executed.ipynb");
        var (code, log) = await RunAsync("jupyter", dir, KernelSpecs,
            "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.startup_timeout=300",
            "--ExecutePreprocessor.kernel_name=.net-csharp", "--output", output, input);
        Assert.True(code == 0, $"{notebook} failed in the Jupyter kernel (exit {code}):\n{Tail(log)}");

        var executed = NotebookJson.Parse(File.ReadAllText(output));
        var cells = ((JsonArray)executed["cells"]!).OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code").ToArray();
        Assert.All(cells, c => Assert.NotNull(c["execution_count"]));
        var errors = cells.SelectMany(c => ((JsonArray)c["outputs"]!).OfType<JsonObject>())
            .Where(o => o["output_type"]!.GetValue<string>() == "error").ToArray();
        Assert.Empty(errors);
        // Charts and tables came out of the package's formatters, not the kernel's object trees.
        var html = string.Concat(cells.SelectMany(c => ((JsonArray)c["outputs"]!).OfType<JsonObject>())
            .Select(o => o["data"]?["text/html"] is { } h ? NotebookJson.ReadMultiline(h) : ""));
        Assert.DoesNotContain("<code>Plotly.NET.GenericChart", html);
        Assert.DoesNotContain("Deedle.Frame`2", html);
    }

    static async Task<(int Code, string Log)> RunAsync(string program, string workingDirectory, string jupyterPath, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["JUPYTER_PATH"] = jupyterPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];
}
