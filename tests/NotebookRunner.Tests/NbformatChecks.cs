// Structural checks after the nbformat 4.5 JSON schema: required and allowed keys of the notebook, cells and outputs,
// cell id pattern and uniqueness, multiline strings. (The schema package itself is not available here.)
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

public static partial class NbformatChecks
{
    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex IdPattern();

    public static void AssertValid(JsonObject nb)
    {
        AssertKeys(nb, "notebook", required: ["cells", "metadata", "nbformat", "nbformat_minor"], allowed: []);
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.True(nb["nbformat_minor"]!.GetValue<int>() >= 5, "cell ids need nbformat_minor >= 5");
        Assert.IsType<JsonObject>(nb["metadata"]);
        var ids = new HashSet<string>();
        foreach (var cell in nb["cells"]!.AsArray().Cast<JsonObject>())
        {
            var type = cell["cell_type"]!.GetValue<string>();
            var id = cell["id"]?.GetValue<string>();
            Assert.True(id is not null && IdPattern().IsMatch(id), $"bad cell id '{id}'");
            Assert.True(ids.Add(id!), $"duplicate cell id {id}");
            AssertMultiline(cell["source"], "source");
            Assert.IsType<JsonObject>(cell["metadata"]);
            switch (type)
            {
                case "code":
                    AssertKeys(cell, "code cell", required: ["cell_type", "execution_count", "id", "metadata", "outputs", "source"], allowed: []);
                    Assert.True(cell["execution_count"] is null || cell["execution_count"]!.GetValue<int>() > 0);
                    foreach (var output in cell["outputs"]!.AsArray().Cast<JsonObject>()) AssertOutput(output);
                    break;
                case "markdown" or "raw":
                    AssertKeys(cell, type, required: ["cell_type", "id", "metadata", "source"], allowed: ["attachments"]);
                    break;
                default:
                    Assert.Fail($"unknown cell_type {type}");
                    break;
            }
        }
    }

    static void AssertOutput(JsonObject o)
    {
        switch (o["output_type"]!.GetValue<string>())
        {
            case "stream":
                AssertKeys(o, "stream", required: ["name", "output_type", "text"], allowed: []);
                Assert.Contains(o["name"]!.GetValue<string>(), new[] { "stdout", "stderr" });
                AssertMultiline(o["text"], "stream text");
                break;
            case "display_data":
                AssertKeys(o, "display_data", required: ["data", "metadata", "output_type"], allowed: []);
                AssertBundle(o["data"]!.AsObject());
                break;
            case "execute_result":
                AssertKeys(o, "execute_result", required: ["data", "execution_count", "metadata", "output_type"], allowed: []);
                AssertBundle(o["data"]!.AsObject());
                break;
            case "error":
                AssertKeys(o, "error", required: ["ename", "evalue", "output_type", "traceback"], allowed: []);
                Assert.All(o["traceback"]!.AsArray(), l => Assert.NotNull(l!.GetValue<string>()));
                break;
            default:
                Assert.Fail($"unknown output_type in {o.ToJsonString()}");
                break;
        }
    }

    static void AssertBundle(JsonObject data)
    {
        Assert.NotEmpty(data);
        foreach (var (mime, value) in data)
        {
            Assert.Matches("^[a-z]+/[a-zA-Z0-9.+-]+$", mime);
            if (!mime.EndsWith("json")) AssertMultiline(value, mime);
        }
    }

    static void AssertMultiline(JsonNode? node, string what)
    {
        switch (node)
        {
            case JsonValue v: Assert.True(v.TryGetValue<string>(out _), $"{what} must be a string"); break;
            case JsonArray a: Assert.All(a, l => Assert.True(l is JsonValue lv && lv.TryGetValue<string>(out _), $"{what} lines must be strings")); break;
            default: Assert.Fail($"{what} must be a string or a list of strings"); break;
        }
    }

    static void AssertKeys(JsonObject o, string what, string[] required, string[] allowed)
    {
        foreach (var key in required) Assert.True(o.ContainsKey(key), $"{what} lacks \"{key}\": {o.ToJsonString()[..Math.Min(200, o.ToJsonString().Length)]}");
        foreach (var (key, _) in o)
            Assert.True(required.Contains(key) || allowed.Contains(key), $"{what} has a key nbformat does not allow: \"{key}\"");
    }
}
