// Reading and writing .ipynb JSON the way Jupyter, VS Code and Polyglot Notebooks write it: UTF-8 without BOM,
// keys sorted, 1-space indentation, a trailing newline. Unknown content is kept as JsonNode so it survives.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public static class NotebookJson
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        IndentCharacter = ' ',
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json, documentOptions: ReadOptions) as JsonObject
        ?? throw new InvalidDataException("a notebook must be a JSON object");

    /// <summary>Serializes with sorted keys (as nbformat does) so diffs against Jupyter/VS Code output stay minimal.</summary>
    public static string Serialize(JsonNode root) => Sorted(root)!.ToJsonString(WriteOptions) + "\n";

    static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>nbformat "multiline string": a string, or an array of strings to concatenate.</summary>
    public static string ReadMultiline(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new InvalidDataException($"expected a string or an array of strings, got {node.ToJsonString()}"),
    };

    /// <summary>Splits text into lines that each keep their "\n", as the Jupyter and Polyglot writers do.</summary>
    public static JsonArray WriteMultiline(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }
}
