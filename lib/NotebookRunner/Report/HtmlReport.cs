// A standalone, offline HTML page for an executed notebook: markdown rendered with Markdig, its TeX typeset by MathJax
// (tex-svg-full, embedded), code cells with their source and outputs, plotly.js embedded once in the head for all
// charts (the copies a notebook's first chart carries are removed), and no script loaded from the network. Both
// scripts come from environment/report-assets (npm, package-lock.json) and are compiled into the runner.
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using NotebookRunner.Execution;
using NotebookRunner.Notebook;

namespace NotebookRunner.Report;

public static partial class HtmlReport
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string Render(NotebookDocument doc, string title)
    {
        var body = new StringBuilder();
        body.Append(RunSummary(doc));
        foreach (var cell in doc.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    body.Append("<section class=\"cell markdown tex2jax_process\">")
                        .Append(Offline(InlineAttachments(Markdig.Markdown.ToHtml(cell.Source, Pipeline), cell)))
                        .Append("</section>\n");
                    break;
                case "code":
                    body.Append(CodeCell(cell));
                    break;
            }
        }
        var html = body.ToString();
        bool charts = html.Contains("Plotly.newPlot", StringComparison.Ordinal) || html.Contains("Plotly.react", StringComparison.Ordinal);
        bool math = html.Contains("class=\"math\"", StringComparison.Ordinal);

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"NotebookRunner ").Append(RunMetadata.RunnerVersion).Append("\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n");
        if (charts)
            page.Append("<script type=\"text/javascript\">/* plotly.js ").Append(ReportAssets.PlotlyJsVersion).Append(" */\n")
                .Append(ScriptText(ReportAssets.PlotlyJs)).Append("\n</script>\n");
        if (math)
            page.Append("<script type=\"text/javascript\">").Append(MathJaxConfig).Append("</script>\n")
                .Append("<script type=\"text/javascript\">/* MathJax ").Append(ReportAssets.MathJaxVersion).Append(", tex-svg-full */\n")
                .Append(ScriptText(ReportAssets.MathJax)).Append("\n</script>\n");
        page.Append("</head>\n<body>\n<main>\n<h1 class=\"report-title\">").Append(Encode(title)).Append("</h1>\n")
            .Append(html)
            .Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    static string CodeCell(NotebookCell cell)
    {
        var sb = new StringBuilder();
        var count = cell.ExecutionCount is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
        var tags = cell.Tags.Count > 0 ? $" <span class=\"tags\">{Encode(string.Join(", ", cell.Tags))}</span>" : "";
        sb.Append("<section class=\"cell code tex2jax_ignore\" id=\"cell-").Append(Encode(cell.Id ?? "")).Append("\">\n")
          .Append("<div class=\"prompt\">In [").Append(count).Append("]:").Append(tags).Append("</div>\n")
          .Append("<pre class=\"source\"><code class=\"language-csharp\">").Append(Encode(cell.Source)).Append("</code></pre>\n");
        foreach (var output in cell.Outputs.OfType<JsonObject>()) sb.Append(Output(output));
        sb.Append("</section>\n");
        return sb.ToString();
    }

    static string Output(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"output stream {name}\">{Encode(NotebookJson.ReadMultiline(output["text"]))}</pre>\n";
            case "display_data":
            case "execute_result":
                return output["data"] is JsonObject data ? $"<div class=\"output display\">{Bundle(data)}</div>\n" : "";
            case "error":
                var traceback = output["traceback"] is JsonArray tb
                    ? string.Join("\n", tb.Select(l => l?.GetValue<string>() ?? ""))
                    : $"{output["ename"]}: {output["evalue"]}";
                return $"<pre class=\"output error\">{Encode(StripAnsi(traceback))}</pre>\n";
            default:
                return "";
        }
    }

    /// <summary>The richest representation a browser can show, made offline-safe.</summary>
    static string Bundle(JsonObject data)
    {
        string? Text(string mime) => data[mime] is { } node ? NotebookJson.ReadMultiline(node) : null;
        if (Text("text/html") is { } html)
            return Offline(Publishing.WithoutPlotlyLibrary(html));
        if (Text("image/svg+xml") is { } svg) return Offline(svg);
        foreach (var image in new[] { "image/png", "image/jpeg", "image/gif" })
            if (Text(image) is { } b64) return $"<img src=\"data:{image};base64,{Encode(b64.Replace("\n", ""))}\" alt=\"\">";
        if (Text("text/markdown") is { } md) return Offline(Markdig.Markdown.ToHtml(md, Pipeline));
        if (Text("text/plain") is { } plain) return $"<pre>{Encode(plain)}</pre>";
        var json = data.FirstOrDefault(p => p.Key.EndsWith("json", StringComparison.Ordinal));
        if (json.Value is not null) return $"<pre>{Encode(json.Value.ToJsonString())}</pre>";
        return "";
    }

    /// <summary>Images pasted into markdown cells live in the cell's "attachments"; the page gets them as data: URIs.</summary>
    static string InlineAttachments(string html, NotebookCell cell)
    {
        if (cell.Json["attachments"] is not JsonObject attachments) return html;
        return AttachmentSource().Replace(html, m =>
        {
            var name = WebUtility.HtmlDecode(m.Groups["name"].Value);
            if (attachments[Uri.UnescapeDataString(name)] is not JsonObject bundle || bundle.FirstOrDefault() is not { Value: not null } first)
                return m.Value;
            return $"src=\"data:{Encode(first.Key)};base64,{Encode(NotebookJson.ReadMultiline(first.Value).Replace("\n", ""))}\"";
        });
    }

    [GeneratedRegex("src=\"attachment:(?<name>[^\"]+)\"")]
    private static partial Regex AttachmentSource();

    static string RunSummary(NotebookDocument doc)
    {
        if (doc.Metadata[RunMetadata.Key] is not JsonObject run) return "";
        var sb = new StringBuilder("<table class=\"run-summary\">");
        void Row(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) sb.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>");
        }
        Row("status", run["status"]?.ToString());
        Row("started", run["start_time"]?.ToString());
        Row("duration", run["duration"] is JsonValue d && d.TryGetValue<double>(out var s) ? $"{s:0.###} s" : null);
        Row("parameters", run["parameters"] is JsonObject p && p.Count > 0 ? string.Join(", ", p.Select(kv => $"{kv.Key} = {kv.Value?.ToJsonString()}")) : null);
        Row("runtime", run["dotnet_version"]?.ToString());
        Row("kernel", run["kernel"]?.ToString());
        return sb.Append("</table>\n").ToString();
    }

    /// <summary>Drops &lt;script src="http(s)://..."&gt; elements from HTML the notebook produced: the report must work offline.</summary>
    public static string Offline(string html) =>
        ExternalScript().Replace(html, m => $"<!-- external script removed for the offline report: {Encode(m.Groups["url"].Value).Replace("--", "- -")} -->");

    [GeneratedRegex(@"<script\b[^>]*?\bsrc\s*=\s*[""']?(?<url>(?:https?:)?//[^""'\s>]*)[""']?[^>]*>\s*</script\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalScript();

    static string ScriptText(string script) => script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    // Markdig's math extension writes \(...\) and \[...\]; only markdown cells are typeset, never code or outputs.
    const string MathJaxConfig = """
        window.MathJax = {
          tex: { inlineMath: [['\\(', '\\)']], displayMath: [['\\[', '\\]']] },
          options: { ignoreHtmlClass: 'tex2jax_ignore', processHtmlClass: 'tex2jax_process', enableMenu: false },
          svg: { fontCache: 'global' },
          startup: { typeset: true }
        };
        """;

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    static string StripAnsi(string text) => Ansi().Replace(text, "");

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #fafafa; color: #222; }
        main { max-width: 1200px; margin: 0 auto; padding: 1.5em; }
        .compression-chart { width: 100%; }
        .output table { font-variant-numeric: tabular-nums; }
        mjx-container[display="true"] { overflow-x: auto; overflow-y: hidden; }
        .cell { margin: 1em 0; }
        .cell.code { background: #fff; border: 1px solid #e3e3e3; border-radius: 4px; padding: 0.5em 0.8em; }
        .prompt { color: #888; font-size: 0.8em; font-family: ui-monospace, monospace; }
        .tags { color: #a60; margin-left: 1em; }
        pre { white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, "Cascadia Code", Menlo, monospace; font-size: 0.85em; margin: 0.4em 0; }
        pre.source { background: #f4f6f8; padding: 0.6em; border-radius: 3px; }
        pre.stderr { background: #fff4e5; }
        pre.error { color: #b00020; background: #fdecea; padding: 0.6em; }
        .output { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0.4em 0; }
        th, td { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; font-size: 0.9em; }
        table.run-summary { font-size: 0.9em; }
        """;
}
