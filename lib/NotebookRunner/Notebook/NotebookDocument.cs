// A whole .ipynb (nbformat 4): load, inspect, write back. The JSON tree is the model, so nothing unknown is lost.
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public sealed class NotebookDocument
{
    public const int NbFormat = 4;
    public const int NbFormatMinor = 5;

    public JsonObject Json { get; }
    public List<NotebookCell> Cells { get; }

    NotebookDocument(JsonObject json)
    {
        Json = json;
        if (json["cells"] is not JsonArray cells)
            throw new InvalidDataException("not an nbformat 4 notebook: no \"cells\" array");
        Cells = cells.Select((c, i) => c is JsonObject o
            ? new NotebookCell(o)
            : throw new InvalidDataException($"cell {i + 1} is not a JSON object")).ToList();
    }

    public static NotebookDocument Parse(string json)
    {
        var root = NotebookJson.Parse(json);
        var major = root["nbformat"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
        if (major != NbFormat)
            throw new InvalidDataException($"only nbformat 4 notebooks are supported (this one says nbformat {major})");
        return new NotebookDocument(root);
    }

    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path));

    public static NotebookDocument CreateEmpty() => new(new JsonObject
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = NbFormat,
        ["nbformat_minor"] = NbFormatMinor,
    });

    public JsonObject Metadata
    {
        get
        {
            if (Json["metadata"] is JsonObject m) return m;
            var created = new JsonObject();
            Json["metadata"] = created;
            return created;
        }
    }

    public void InsertCell(int index, NotebookCell cell) => Cells.Insert(index, cell);

    public void RemoveCell(int index) => Cells.RemoveAt(index);

    /// <summary>
    /// Brings the document to what the writer emits: nbformat 4.5, every cell with a unique id, code cells with
    /// outputs/execution_count and Polyglot kernel metadata, notebook metadata with kernelspec and polyglot_notebook.
    /// </summary>
    public void Normalize()
    {
        CellIds.Ensure(Cells);
        foreach (var cell in Cells)
        {
            if (cell.Json["metadata"] is not JsonObject) cell.Json["metadata"] = new JsonObject();
            if (cell.Json["source"] is null) cell.Source = "";
            if (cell.IsCode)
            {
                if (cell.Json["outputs"] is not JsonArray) cell.Outputs = new JsonArray();
                if (!cell.Json.ContainsKey("execution_count")) cell.ExecutionCount = null;
                PolyglotMetadata.EnsureCellMetadata(cell);
            }
        }
        PolyglotMetadata.EnsureNotebookMetadata(Metadata);
        Json["nbformat"] = NbFormat;
        Json["nbformat_minor"] = Math.Max(NbFormatMinor, Json["nbformat_minor"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0);
    }

    /// <summary>The JSON text as it would be written (cells in their current order).</summary>
    public string Serialize()
    {
        Json["cells"] = new JsonArray(Cells.Select(c => (JsonNode?)Detach(c.Json)).ToArray());
        return NotebookJson.Serialize(Json);
    }

    public void Save(string path, bool durable = true) => AtomicFile.WriteAllText(path, Serialize(), durable);

    static JsonObject Detach(JsonObject node)
    {
        node.Parent?.AsArray().Remove(node);
        return node;
    }
}
