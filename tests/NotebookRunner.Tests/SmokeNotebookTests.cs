// The fixture every notebook of the package resembles (setup cell: #r of the package's build output and the formatter
// registration; parameters cell; a cell with a tensor, a Plotly.NET.CSharp chart and a Deedle frame), run end to end
// with -p from where it lies, then its executed notebook and offline HTML report checked.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Notebook;
using NotebookRunner.Parameters;
using NotebookRunner.Report;

namespace NotebookRunner.Tests;

public sealed class SmokeRun : IAsyncLifetime
{
    public TempDir Dir { get; } = new();
    public CliRun Run { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public string HtmlPath => Dir.File("out/report.html");
    public static string Source => Repo.Path("tests", "NotebookRunner.Tests", "Fixtures", "runner-smoke.ipynb");

    public async Task InitializeAsync()
    {
        Run = await Cli.RunAsync(["run", Source, "--output", Dir.File("out/executed.ipynb"), "--html", HtmlPath, "-p", "points=7"]);
        Html = File.Exists(HtmlPath) ? await File.ReadAllTextAsync(HtmlPath) : "";
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}

public class SmokeNotebookTests(SmokeRun smoke) : IClassFixture<SmokeRun>
{
    CliRun Run => smoke.Run;

    JsonObject[] DisplayOutputs(int cell) => Run.Outputs(cell).Cast<JsonObject>()
        .Where(o => o["output_type"]!.GetValue<string>() is "display_data" or "execute_result").ToArray();

    [Fact]
    public void RunsToTheEnd()
    {
        Assert.True(Run.ExitCode == 0, Run.Stderr);
        Assert.Contains("smoke: tensor of 7 values, sum 21", Run.Stdout);
    }

    [Fact]
    public void CommandLineParameterIsInjectedAfterTheParametersCell()
    {
        Assert.Contains(ParameterInjector.InjectedTag, Run.Cell(3)["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("var points = 7;", CliRun.Text(Run.Cell(3)["source"]));
        Assert.Equal(7, Run.Output!["metadata"]!["notebook_runner"]!["parameters"]!["points"]!.GetValue<int>());
    }

    [Fact]
    public void ChartFrameAndTensorRenderThroughTheNotebooksFormatters()
    {
        var outputs = DisplayOutputs(4);
        Assert.Equal(3, outputs.Length);
        Assert.Contains("[7], type = Float64", CliRun.Text(outputs[0]["data"]!["text/plain"]));

        var chartHtml = CliRun.Text(outputs[1]["data"]!["text/html"]);
        Assert.Contains("Plotly.newPlot", chartHtml);
        Assert.Contains("\"x\":[0.0,1.0,2.0,3.0,4.0,5.0,6.0]", chartHtml);
        Assert.Contains("width: 100%", chartHtml);                             // the page's width, not a fixed one
        Assert.Contains(Publishing.PlotlyLibraryBegin, chartHtml);              // the first chart carries plotly.js
        Assert.DoesNotMatch("<script[^>]*src=", chartHtml);
        Assert.StartsWith("Plotly chart (1 trace: scatter)", CliRun.Text(outputs[1]["data"]!["text/plain"]));

        Assert.Equal("execute_result", outputs[2]["output_type"]!.GetValue<string>());
        var frameHtml = CliRun.Text(outputs[2]["data"]!["text/html"]);
        Assert.Contains("<th>Square</th>", frameHtml);
        Assert.Contains(">36</td>", frameHtml);
        Assert.Contains(">12</td>", frameHtml);                                 // 36 / 3, not 12.000000000000002
        Assert.Contains(">0.3333</td>", frameHtml);                             // 1 / 3 rounded for reading
        Assert.DoesNotContain("&lt;missing&gt;", frameHtml);                    // NaN (missing) shows as an empty cell
        Assert.DoesNotContain(">Double<", frameHtml);                           // no row of column types
        Assert.DoesNotMatch(@"\d\.\d{8,}", frameHtml);                          // no 17-digit floats
    }

    [Fact]
    public void ExecutedNotebookIsValidKeepsMetadataAndResolvesItsReferencesWhereItLies()
    {
        NbformatChecks.AssertValid(Run.Output!);
        var meta = Run.Output!["metadata"]!;
        Assert.Equal(".net-csharp", meta["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", meta["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.Equal("completed", meta["notebook_runner"]!["status"]!.GetValue<string>());
        Assert.StartsWith("Microsoft.DotNet.Interactive.CSharp 1.0.0-beta.26120.1", meta["notebook_runner"]!["kernel"]!.GetValue<string>());
        foreach (var cell in Run.Cells.Cast<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code"))
        {
            Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.True(cell["metadata"]!["notebook_runner"]!["duration"]!.GetValue<double>() >= 0);
        }
        Assert.Equal("5e1a0c02", Run.Cell(1)["id"]!.GetValue<string>());   // ids of the source survive

        // The #r paths were written for the fixture's folder; the executed copy's resolve from its own folder.
        var paths = Relocation.DirectivePaths(NotebookDocument.Load(Run.OutputPath!));
        Assert.Equal(6, paths.Count);
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(smoke.Dir.File("out"), p)), $"{p} does not resolve from the output folder"));
        Assert.All(paths, p => Assert.False(Path.IsPathRooted(p)));
        var input = meta["notebook_runner"]!["input_path"]!.GetValue<string>();
        Assert.Equal(Path.GetFullPath(SmokeRun.Source), Path.GetFullPath(Path.Combine(smoke.Dir.File("out"), input)));
    }

    [Fact]
    public void HtmlReportIsOfflineWithPlotlyAndMathJaxEmbeddedOnce()
    {
        var html = smoke.Html;
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex("<script[^>]*src\\s*=\\s*[\"']?(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html);                   // (plotly.js names the CDN only as topojson default)
        Assert.DoesNotContain(Publishing.PlotlyLibraryBegin, html);
        var headEnd = html.IndexOf("</head>", StringComparison.Ordinal);
        Assert.Equal(1, Count(html, ReportAssets.PlotlyJs[..400]));             // plotly.js 2.28.0, exactly once
        Assert.True(html.IndexOf(ReportAssets.PlotlyJs[..400], StringComparison.Ordinal) < headEnd, "plotly.js belongs in the head");
        Assert.Equal(1, Count(html[headEnd..], "Plotly.newPlot("));             // the one chart
        Assert.Equal(1, Count(html, ReportAssets.MathJax[..400]));              // MathJax for the formula, once
        Assert.Contains("<span class=\"math\">\\(\\theta = a\\,\\phi + b\\)</span>", html);
    }

    [Fact]
    public void HtmlReportShowsMarkdownCodeAndOutputs()
    {
        var html = smoke.Html;
        Assert.Contains("<h1 id=\"runner-smoke-test\">Runner smoke test</h1>", html);
        Assert.Contains("<td>Plotly.NET</td>", html);                          // markdown table via Markdig
        Assert.Contains("<pre class=\"output stream stdout\">smoke: tensor of 7 values, sum 21\n</pre>", html);
        Assert.Contains("<th>Square</th>", html);
        Assert.Contains("points = 7", html);                                    // run summary lists the parameters
    }

    [Fact]
    public void NoTemporaryFilesAreLeftBehind()
    {
        var files = Directory.GetFiles(smoke.Dir.File("out")).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["executed.ipynb", "report.html"], files);
    }

    static int Count(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
