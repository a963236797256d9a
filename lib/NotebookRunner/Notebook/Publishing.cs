// Committing an executed notebook (make publish-notebooks): its directive paths are rewritten for its new folder
// (Relocation) and the copies of plotly.js its first chart carries are dropped (3.6 MB each). Charts of a published
// notebook draw in its HTML report (`NotebookRunner report`, plotly.js embedded once) and once its cells are rerun.
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public static class Publishing
{
    // The markers Compression.Notebooks.Display.PlotlyHtml puts around the copy of plotly.js a notebook's first chart
    // carries (the runner does not reference that library: notebooks load it themselves).
    public const string PlotlyLibraryBegin = "/* compression-notebooks:plotly.js:begin */";

    public static NotebookDocument Publish(NotebookDocument doc, string fromDirectory, string toDirectory)
    {
        var copy = Relocation.Relocated(doc, fromDirectory, toDirectory);
        foreach (var cell in copy.Cells.Where(c => c.IsCode))
            foreach (var output in cell.Outputs.OfType<JsonObject>())
                if (output["data"] is JsonObject data && data["text/html"] is { } html)
                {
                    var text = NotebookJson.ReadMultiline(html);
                    var stripped = WithoutPlotlyLibrary(text);
                    if (stripped != text) data["text/html"] = NotebookJson.WriteMultiline(stripped);
                }
        return copy;
    }

    /// <summary>Removes the script elements that hold a copy of plotly.js (between the library markers).</summary>
    public static string WithoutPlotlyLibrary(string html)
    {
        while (true)
        {
            int marker = html.IndexOf(PlotlyLibraryBegin, StringComparison.Ordinal);
            if (marker < 0) return html;
            int start = html.LastIndexOf("<script", marker, StringComparison.OrdinalIgnoreCase);
            int end = html.IndexOf("</script>", marker, StringComparison.OrdinalIgnoreCase);
            if (start < 0 || end < 0) return html;
            end += "</script>".Length;
            if (end < html.Length && html[end] == '\n') end++;
            html = html[..start] + html[end..];
        }
    }
}
