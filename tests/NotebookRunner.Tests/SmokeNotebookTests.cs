// The fixture every notebook of the package resembles (setup cell with #r nuget lines and the library's dll,
// parameters cell, a cell with a tensor, a Plotly.NET.CSharp chart and a Deedle frame), run end to end with -p,
// then its executed notebook and offline HTML report checked.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Display;
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

public sealed class SmokeRun : IAsyncLifetime
{
    public TempDir Dir { get; } = new();
    public CliRun Run { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public string HtmlPath => Dir.File("out/report.html");

    public async Task InitializeAsync()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "runner-smoke.ipynb");
        Directory.CreateDirectory(Dir.File("notebooks"));
        var input = Dir.File("notebooks/runner-smoke.ipynb");
        File.Copy(source, input);
        Run = await Cli.RunAsync(["run", input, "--output", Dir.File("out/executed.ipynb"), "--html", HtmlPath, "-p", "points=7"]);
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
        Assert.Contains("provided by the runner (TorchSharp-cpu 0.107.0)", Run.Stderr);
    }

    [Fact]
    public void CommandLineParameterIsInjectedAfterTheParametersCell()
    {
        Assert.Contains(ParameterInjector.InjectedTag, Run.Cell(3)["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("var points = 7;", CliRun.Text(Run.Cell(3)["source"]));
        Assert.Equal(7, Run.Output!["metadata"]!["notebook_runner"]!["parameters"]!["points"]!.GetValue<int>());
    }

    [Fact]
    public void ChartFrameAndTensorRender()
    {
        var outputs = DisplayOutputs(4);
        Assert.Equal(3, outputs.Length);
        Assert.Contains("[7], type = Float64", CliRun.Text(outputs[0]["data"]!["text/plain"]));

        var chartHtml = CliRun.Text(outputs[1]["data"]!["text/html"]);
        Assert.Contains("Plotly.newPlot", chartHtml);
        Assert.Contains("\"x\":[0.0,1.0,2.0,3.0,4.0,5.0,6.0]", chartHtml);
        Assert.DoesNotMatch("<script[^>]*src=", chartHtml);                   // the CDN fallback is made by script, not markup
        Assert.StartsWith("Plotly chart (1 trace: scatter)", CliRun.Text(outputs[1]["data"]!["text/plain"]));

        Assert.Equal("execute_result", outputs[2]["output_type"]!.GetValue<string>());
        var frameHtml = CliRun.Text(outputs[2]["data"]!["text/html"]);
        Assert.Contains("<table", frameHtml);
        Assert.Contains("<th>Square</th>", frameHtml);
        Assert.Contains("<td>36</td>", frameHtml);
        Assert.Contains("Square", CliRun.Text(outputs[2]["data"]!["text/plain"]));
    }

    [Fact]
    public void ExecutedNotebookIsValidAndKeepsPolyglotMetadata()
    {
        NbformatChecks.AssertValid(Run.Output!);
        var meta = Run.Output!["metadata"]!;
        Assert.Equal(".net-csharp", meta["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", meta["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.Equal("completed", meta["notebook_runner"]!["status"]!.GetValue<string>());
        foreach (var cell in Run.Cells.Cast<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code"))
        {
            Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.Equal("csharp", cell["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
            Assert.True(cell["metadata"]!["notebook_runner"]!["duration"]!.GetValue<double>() >= 0);
        }
        Assert.Equal("5e1a0c02", Run.Cell(1)["id"]!.GetValue<string>());   // ids of the source survive
    }

    [Fact]
    public void HtmlReportIsOfflineWithPlotlyEmbeddedOnce()
    {
        var html = smoke.Html;
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex("<script[^>]*src\\s*=\\s*[\"']?(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html);
        Assert.DoesNotContain("requirejs", html);

        var plotlyJs = PlotlyFragment.ReadPlotlyJs();
        Assert.Equal(1, Count(html, plotlyJs[..400]));                         // plotly.js 2.28.0, exactly once
        Assert.Equal("2.28.0", PlotlyFragment.PlotlyJsVersion);
        var headEnd = html.IndexOf("</head>", StringComparison.Ordinal);
        Assert.Equal(1, Count(html[headEnd..], "Plotly.newPlot("));            // the one chart, drawn by the embedded copy
        Assert.True(html.IndexOf(plotlyJs[..400], StringComparison.Ordinal) < headEnd, "plotly.js belongs in the head");
    }

    [Fact]
    public void HtmlReportShowsMarkdownCodeAndOutputs()
    {
        var html = smoke.Html;
        Assert.Contains("<h1 id=\"runner-smoke-test\">Runner smoke test</h1>", html);
        Assert.Contains("<td>Plotly.NET</td>", html);                          // markdown table via Markdig
        Assert.Contains("<pre class=\"source\"><code class=\"language-csharp\">#r &quot;nuget: TorchSharp-cpu, 0.107.0&quot;", html);
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
