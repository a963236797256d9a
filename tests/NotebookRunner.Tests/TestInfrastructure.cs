// Shared helpers: temp folders, notebook builders and an in-process run of the command line. The runner swaps
// Console.Out/Error and the working directory, which are process-wide, so the tests run one at a time.
using System.Text.Json.Nodes;
using NotebookRunner.Cli;
using NotebookRunner.Notebook;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NotebookRunner.Tests;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("notebook-runner-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public static class Nb
{
    public static NotebookCell Code(string source, params string[] tags) => NotebookCell.NewCode(source, tags);

    public static NotebookCell Markdown(string source) => new(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["id"] = CellIds.New(),
        ["metadata"] = new JsonObject(),
        ["source"] = NotebookJson.WriteMultiline(source),
    });

    /// <summary>A C# Polyglot notebook with these cells, written to <paramref name="path"/>.</summary>
    public static string Write(string path, params NotebookCell[] cells)
    {
        var doc = NotebookDocument.CreateEmpty();
        PolyglotMetadata.EnsureNotebookMetadata(doc.Metadata);
        doc.Cells.AddRange(cells);
        doc.Save(path);
        return path;
    }

    public static string Write(string path, params string[] codeCells) => Write(path, codeCells.Select(c => Code(c)).ToArray());
}

public sealed record CliRun(int ExitCode, string Stdout, string Stderr, JsonObject? Output, string? OutputPath)
{
    public JsonArray Cells => (JsonArray)Output!["cells"]!;
    public JsonObject Cell(int index) => (JsonObject)Cells[index]!;
    public JsonArray Outputs(int index) => (JsonArray)Cell(index)["outputs"]!;

    public static string Text(JsonNode? node) => NotebookJson.ReadMultiline(node);

    /// <summary>All outputs of a cell with the given output_type.</summary>
    public IEnumerable<JsonObject> OfType(int cellIndex, string outputType) =>
        Outputs(cellIndex).OfType<JsonObject>().Where(o => o["output_type"]!.GetValue<string>() == outputType);
}

public static class Cli
{
    /// <summary>Runs `NotebookRunner args...` in-process; reads back --output when it was written.</summary>
    public static async Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (code, _) = await Commands.MainAsync(args, stdout, stderr, name => environment?.GetValueOrDefault(name));
        var outputIndex = Array.IndexOf(args, "--output");
        var outputPath = outputIndex >= 0 ? args[outputIndex + 1] : null;
        var output = outputPath is not null && File.Exists(outputPath) ? NotebookJson.Parse(File.ReadAllText(outputPath)) : null;
        return new CliRun(code, stdout.ToString(), stderr.ToString(), output, outputPath);
    }

    /// <summary>Writes the cells as a notebook in <paramref name="dir"/> and runs it with --output (and extra args).</summary>
    public static Task<CliRun> RunCellsAsync(TempDir dir, NotebookCell[] cells, string[]? extraArgs = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var input = Nb.Write(dir.File("notebook.ipynb"), cells);
        return RunAsync(["run", input, "--output", dir.File("executed.ipynb"), .. extraArgs ?? []], environment);
    }

    public static Task<CliRun> RunCellsAsync(TempDir dir, params string[] codeCells) =>
        RunCellsAsync(dir, codeCells.Select(c => Nb.Code(c)).ToArray());
}

/// <summary>The repository this test runs in: its root, the notebooks' build output, the data folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    static string FindRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Reproduce.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Reproduce.sln above {from}");
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>lib/Compression.Notebooks' build output, which notebooks reference with #r (same configuration as this test).</summary>
    public static string NotebooksBin { get; } = Path("lib", "Compression.Notebooks", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0");

    /// <summary>A setup cell for a notebook anywhere: #r with absolute paths to the notebooks' build output.</summary>
    public static string SetupCell(params string[] usings) =>
        string.Join("\n", new[] { "TorchSharp", "Plotly.NET", "Plotly.NET.CSharp", "Deedle", "Compression", "Compression.Notebooks" }
            .Select(a => $"#r \"{System.IO.Path.Combine(NotebooksBin, a + ".dll")}\"")
            .Concat(usings.Select(u => $"using {u};")));

    /// <summary>MNIST: REPRO_DATA (the Makefile sets it) or the repository's data/ folder.</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("REPRO_DATA") is { Length: > 0 } d ? d : Path("data");
}
