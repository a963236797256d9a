// The outputs of one cell as they arrive, from any thread: console text merges into the current stream output,
// displays append, a display handle may replace its own output later.
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public sealed class CellOutputs
{
    readonly List<CellOutput> items = [];
    readonly Lock gate;

    /// <param name="gate">Shared by all cells of a run, so a snapshot of the notebook is never taken mid-update.</param>
    /// <param name="executionCount">The cell's execution count, which its execute_result carries.</param>
    public CellOutputs(Lock gate, int executionCount = 0)
    {
        this.gate = gate;
        ExecutionCount = executionCount;
    }

    public int ExecutionCount { get; }

    public void AppendStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (items.Count > 0 && items[^1] is StreamOutput s && s.Name == name) s.Text.Append(text);
            else
            {
                var stream = new StreamOutput(name);
                stream.Text.Append(text);
                items.Add(stream);
            }
        }
    }

    public void Add(CellOutput output)
    {
        lock (gate) items.Add(output);
    }

    public void Replace(DisplayOutput output, IReadOnlyList<KeyValuePair<string, string>> data)
    {
        lock (gate) output.Data = data;
    }

    public JsonArray ToJson()
    {
        lock (gate) return new JsonArray(items.Select(o => (JsonNode?)o.ToJson()).ToArray());
    }
}
