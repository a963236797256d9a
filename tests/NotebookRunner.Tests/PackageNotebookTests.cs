// Every notebook of the package runs headless on the smoke budget: a cell that throws fails the test. The executed
// notebooks, results and checkpoints go to a folder under artifacts/ (inside the repository, as `make reproduce`
// writes them); the data is the real MNIST. The executed copy must hold no absolute path of this machine and must
// resolve its #r references from where it lies.
using NotebookRunner.Execution;
using NotebookRunner.Notebook;

namespace NotebookRunner.Tests;

public class PackageNotebookTests
{
    static string NotebooksDirectory => Repo.Path("notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebooksDirectory, "*.ipynb").Order()) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>A path as the Makefile passes it: relative to the repository root when it lies inside.</summary>
    internal static string RepositoryRelative(string path)
    {
        var relative = Path.GetRelativePath(Repo.Root, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative.Replace('\\', '/');
    }

    /// <summary>
    /// The committed executed notebooks (results/notebooks/budget/) point into this repository: their #r paths reach
    /// its lib/ and their recorded source is its notebook, not a file of the checkout they were executed in.
    /// </summary>
    [Fact]
    public void CommittedExecutedNotebooksPointIntoThisRepository()
    {
        var committed = Directory.GetFiles(Repo.Path("results", "notebooks"), "*.ipynb", SearchOption.AllDirectories);
        Assert.NotEmpty(committed);
        var lib = Repo.Path("lib") + Path.DirectorySeparatorChar;
        foreach (var file in committed)
        {
            var folder = Path.GetDirectoryName(file)!;
            var doc = NotebookDocument.Load(file);
            var paths = Relocation.DirectivePaths(doc);
            Assert.NotEmpty(paths);
            Assert.All(paths, p => Assert.True(Path.GetFullPath(Path.Combine(folder, p)).StartsWith(lib, StringComparison.Ordinal), $"{file}: #r \"{p}\""));
            var input = ((System.Text.Json.Nodes.JsonObject)doc.Metadata[RunMetadata.Key]!)["input_path"]!.GetValue<string>();
            var source = Path.GetFullPath(Path.Combine(folder, input));
            Assert.True(source == Path.Combine(NotebooksDirectory, Path.GetFileName(file)) && File.Exists(source), $"{file}: input_path {input}");
        }
    }

    /// <summary>The README's table of notebooks and the folder agree: none missing, none undocumented.</summary>
    [Fact]
    public void EveryNotebookIsInTheReadmeTableAndEveryListedNotebookExists()
    {
        var listed = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Repo.Path("README.md")), @"^\| `notebooks/([^`]+\.ipynb)`",
                System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        var present = Directory.GetFiles(NotebooksDirectory, "*.ipynb").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(present);
        Assert.Equal(present, listed);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task RunsOnTheSmokeBudget(string notebook)
    {
        var name = Path.GetFileNameWithoutExtension(notebook);
        var dir = Repo.Path("artifacts", "tests", "runner", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var rel = RepositoryRelative(dir);
        var run = await Cli.RunAsync(["run", Path.Combine(NotebooksDirectory, notebook), "--output", Path.Combine(dir, notebook),
            "--html", Path.Combine(dir, "report.html"),
            "-p", "budget=smoke", "-p", $"dataDir={RepositoryRelative(Repo.DataDirectory)}", "-p", $"outputDir={rel}/results",
            "-p", $"checkpointDir={rel}/checkpoints"]);
        Assert.True(run.ExitCode == 0, $"{notebook} failed:\n{run.Stderr}");
        NbformatChecks.AssertValid(run.Output!);
        Assert.DoesNotContain("<script src=\"http", File.ReadAllText(Path.Combine(dir, "report.html")));

        var executed = File.ReadAllText(run.OutputPath!);
        if (Path.GetFullPath(Repo.DataDirectory).StartsWith(Repo.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            Assert.DoesNotContain(Repo.Root, executed);                          // no path of this machine in the notebook
        var paths = Relocation.DirectivePaths(NotebookDocument.Load(run.OutputPath!));
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(dir, p)), $"{p} does not resolve from {dir}"));
    }
}
