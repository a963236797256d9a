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
