// One cell of a notebook: a thin view over its JsonObject, so fields the runner does not know stay untouched.
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public sealed class NotebookCell(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";
    public bool IsCode => CellType == "code";

    public string? Id
    {
        get => Json["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        set => Json["id"] = value;
    }

    public string Source
    {
        get => NotebookJson.ReadMultiline(Json["source"]);
        set => Json["source"] = NotebookJson.WriteMultiline(value);
    }

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

    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray a
            ? a.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToArray()
            : [];

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>Kernel named in the cell metadata: polyglot_notebook.kernelName, else dotnet_interactive.language.</summary>
    public string? MetadataKernelName =>
        StringAt(Json["metadata"]?["polyglot_notebook"]?["kernelName"])
        ?? StringAt(Json["metadata"]?["dotnet_interactive"]?["language"]);

    public JsonArray Outputs
    {
        get
        {
            if (Json["outputs"] is JsonArray a) return a;
            var created = new JsonArray();
            Json["outputs"] = created;
            return created;
        }
        set => Json["outputs"] = value;
    }

    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        set => Json["execution_count"] = value is int n ? JsonValue.Create(n) : null;
    }

    /// <summary>A fresh C# code cell with the metadata Polyglot Notebooks writes.</summary>
    public static NotebookCell NewCode(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = PolyglotMetadata.CSharpKernel },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = PolyglotMetadata.CSharpKernel },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        var cell = new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = CellIds.New(),
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
        });
        cell.Source = source;
        return cell;
    }

    static string? StringAt(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
