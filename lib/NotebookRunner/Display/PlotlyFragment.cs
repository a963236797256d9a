// Plotly.NET charts as HTML fragments. In the .ipynb a fragment draws with the page's global Plotly and, where there is
// none (VS Code, Jupyter), loads plotly.js through requirejs or a script element from the CDN. That loader sits between
// two markers, so the HTML report can swap it for a plain call on the plotly.js it embeds once: fully offline.
using System.Text.Json;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace NotebookRunner.Display;

public static partial class PlotlyFragment
{
    /// <summary>The plotly.js version Plotly.NET bundles and writes its charts for (2.28.0 in Plotly.NET 6).</summary>
    public static string PlotlyJsVersion => global::Globals.PLOTLYJS_VERSION;
    public static string ResourceName => $"Plotly.NET.plotly-{PlotlyJsVersion}.min.js";
    static string CdnUrl => $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min";
    const string LoaderBegin = "/* notebook-runner:plotly-loader:begin */";
    const string LoaderEnd = "/* notebook-runner:plotly-loader:end */";
    const string OfflineLoader = "draw(window.Plotly);";

    /// <summary>Fragment for notebook outputs: global Plotly if present, else loaded on demand (see the type comment).</summary>
    public static string ForNotebook(GenericChart chart)
    {
        var figure = GenericChart.toFigureJson(chart);
        var config = Newtonsoft.Json.JsonConvert.SerializeObject(GenericChart.getConfig(chart), global::Globals.JSON_CONFIG);
        var id = "plotly-" + Guid.NewGuid().ToString("N");
        return $$"""
            <div id="{{id}}" class="notebook-runner-plotly"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{ScriptSafe(figure)}};
              figure.config = {{ScriptSafe(config)}};
              var draw = function (Plotly) { Plotly.newPlot('{{id}}', figure); };
              {{LoaderBegin}}
              if (typeof window.Plotly !== 'undefined') { draw(window.Plotly); }
              else if (typeof window.requirejs === 'function') {
                window.requirejs.config({ paths: { plotly: '{{CdnUrl}}' } });
                window.requirejs(['plotly'], function (Plotly) { draw(Plotly); });
              } else {
                window.notebookRunnerPlotly = window.notebookRunnerPlotly || new Promise(function (resolve, reject) {
                  var s = document.createElement('script');
                  s.src = '{{CdnUrl}}.js';
                  s.onload = function () { resolve(window.Plotly); };
                  s.onerror = reject;
                  document.head.appendChild(s);
                });
                window.notebookRunnerPlotly.then(draw);
              }
              {{LoaderEnd}}
            })();
            </script>
            """;
    }

    public static bool IsChartHtml(string html) => html.Contains(LoaderBegin, StringComparison.Ordinal);

    /// <summary>The same fragment drawing with the global Plotly only (no CDN, no requirejs) — for the offline report.</summary>
    public static string ToOffline(string html) => LoaderRegex().Replace(html, OfflineLoader);

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
        string? title = null;
        if (figure.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty("title", out var t))
            title = t.ValueKind == JsonValueKind.String ? t.GetString() : t.TryGetProperty("text", out var tx) ? tx.GetString() : null;
        var what = traces.Length == 1 ? "1 trace" : $"{traces.Length} traces";
        return $"Plotly chart{(title is null ? "" : $" \"{title}\"")} ({what}: {string.Join(", ", traces)})";
    }

    /// <summary>plotly.js as bundled in the Plotly.NET assembly.</summary>
    public static string ReadPlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the Plotly.NET assembly lacks the embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>JSON inside a script element must not contain "&lt;/" (it could close the element); "&lt;\/" means the same.</summary>
    static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);

    [GeneratedRegex(@"/\* notebook-runner:plotly-loader:begin \*/.*?/\* notebook-runner:plotly-loader:end \*/", RegexOptions.Singleline)]
    private static partial Regex LoaderRegex();
}
