// The four nbformat output kinds a cell can produce, kept as live objects while the cell runs (a display can be
// updated later) and turned into nbformat JSON when the notebook is written.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public abstract class CellOutput
{
    public abstract JsonObject ToJson();
}

public sealed class StreamOutput(string name) : CellOutput
{
    public string Name { get; } = name;
    public StringBuilder Text { get; } = new();

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["output_type"] = "stream",
        ["text"] = NotebookJson.WriteMultiline(Text.ToString()),
    };
}

/// <summary>A MIME bundle: display_data, or execute_result when it is the value of the cell's trailing expression.</summary>
public sealed class DisplayOutput(IReadOnlyList<KeyValuePair<string, string>> data, int? executionCount = null) : CellOutput
{
    public IReadOnlyList<KeyValuePair<string, string>> Data { get; set; } = data;
    public int? ExecutionCount { get; } = executionCount;
    public bool IsExecuteResult => ExecutionCount is not null;

    public override JsonObject ToJson()
    {
        var bundle = new JsonObject();
        foreach (var (mime, value) in Data) bundle[mime] = MimeValue(mime, value);
        var json = new JsonObject
        {
            ["data"] = bundle,
            ["metadata"] = new JsonObject(),
            ["output_type"] = IsExecuteResult ? "execute_result" : "display_data",
        };
        if (IsExecuteResult) json["execution_count"] = ExecutionCount;
        return json;
    }

    /// <summary>JSON MIME types hold JSON; everything else a multiline string (list of lines, as Polyglot writes).</summary>
    static JsonNode? MimeValue(string mime, string value)
    {
        if (mime.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try { return JsonNode.Parse(value); }
            catch (JsonException) { }
        }
        return NotebookJson.WriteMultiline(value);
    }
}

public sealed class ErrorOutput(string ename, string evalue, IReadOnlyList<string> traceback) : CellOutput
{
    public string EName { get; } = ename;
    public string EValue { get; } = evalue;
    public IReadOnlyList<string> Traceback { get; } = traceback;

    public override JsonObject ToJson() => new()
    {
        ["ename"] = EName,
        ["evalue"] = EValue,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(Traceback.Select(l => (JsonNode?)l).ToArray()),
    };
}
