// Plotly.NET charts as HTML fragments that draw offline and use the page's width. The first chart of a session
// carries plotly.js itself (from the Plotly.NET assembly, between two markers), so a notebook open in JupyterLab or
// VS Code needs no network; later charts wait for it. The runner's HTML report removes those copies and embeds
// plotly.js once in its head; `NotebookRunner publish` removes them from committed notebooks.
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Compression.Notebooks.Display;

public static class PlotlyHtml
{
    /// <summary>The plotly.js version Plotly.NET bundles and writes its charts for (2.28.0 in Plotly.NET 6).</summary>
    public static string PlotlyJsVersion => global::Globals.PLOTLYJS_VERSION;
    public const string LibraryBegin = "/* compression-notebooks:plotly.js:begin */";
    public const string LibraryEnd = "/* compression-notebooks:plotly.js:end */";
    public const string ChartClass = "compression-chart";

    static int librariesShown;

    /// <summary>Forget that plotly.js was shown (a new kernel session, or a test).</summary>
    public static void ResetSession() => Interlocked.Exchange(ref librariesShown, 0);

    /// <summary>The chart as a fragment; the first one of a session also defines plotly.js.</summary>
    public static string Fragment(GenericChart chart) =>
        Interlocked.Exchange(ref librariesShown, 1) == 0 ? Library() + Draw(chart) : Draw(chart);

    /// <summary>A div and a script that draws the chart as soon as the page has plotly.js.</summary>
    public static string Draw(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        var layout = figure["layout"] as JsonObject ?? new JsonObject();
        // The page's width, not a fixed one: drop any width, let plotly.js size the chart to its container.
        layout.Remove("width");
        layout["autosize"] = true;
        figure["layout"] = layout;
        int height = layout["height"] is JsonValue h && h.TryGetValue(out int px) ? px : 450;
        var id = "chart-" + Guid.NewGuid().ToString("N");
        var json = ScriptSafe(figure.ToJsonString());
        return $$"""
            <div id="{{id}}" class="{{ChartClass}}" style="width: 100%; height: {{height}}px"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{json}};
              var config = { responsive: true, displaylogo: false };
              var tries = 0;
              function draw() {
                if (window.Plotly) { window.Plotly.newPlot('{{id}}', figure.data, figure.layout, config); return; }
                if (++tries > 200) {
                  document.getElementById('{{id}}').textContent = 'This chart needs plotly.js, which this page lacks: rerun the notebook, or open its HTML report.';
                  return;
                }
                setTimeout(draw, 50);
              }
              draw();
            })();
            </script>
            """;
    }

    /// <summary>plotly.js as a script element that defines window.Plotly even where the page has requirejs.</summary>
    public static string Library() =>
        "<script type=\"text/javascript\">" + LibraryBegin + "\n(function (define, module, exports) {\n" +
        ReadPlotlyJs().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        "\n}).call(window);\n" + LibraryEnd + "</script>\n";

    /// <summary>Removes the plotly.js copies a fragment may carry (the script element between the markers).</summary>
    public static string WithoutLibrary(string html)
    {
        while (true)
        {
            int begin = html.IndexOf(LibraryBegin, StringComparison.Ordinal);
            if (begin < 0) return html;
            int start = html.LastIndexOf("<script", begin, StringComparison.OrdinalIgnoreCase);
            int end = html.IndexOf("</script>", begin, StringComparison.OrdinalIgnoreCase);
            if (start < 0 || end < 0) return html;
            end += "</script>".Length;
            if (end < html.Length && html[end] == '\n') end++;
            html = html[..start] + html[end..];
        }
    }

    /// <summary>A text/plain stand-in for viewers that do not run scripts (GitHub, terminals).</summary>
    public static string Describe(GenericChart chart)
    {
        using var figure = JsonDocument.Parse(GenericChart.toFigureJson(chart));
        var traces = figure.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(t =>
            {
                var type = t.TryGetProperty("type", out var ty) ? ty.GetString() : "trace";
                return t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? $"{type} '{n.GetString()}'" : type;
            }).ToArray()
            : [];
        var what = traces.Length == 1 ? "1 trace" : $"{traces.Length} traces";
        return $"Plotly chart ({what}: {string.Join(", ", traces)})";
    }

    /// <summary>plotly.js as bundled in the Plotly.NET assembly.</summary>
    public static string ReadPlotlyJs()
    {
        var name = $"Plotly.NET.plotly-{PlotlyJsVersion}.min.js";
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the Plotly.NET assembly lacks the embedded resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>JSON inside a script element must not contain "&lt;/" (it could close the element); "&lt;\/" means the same.</summary>
    static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
}
