// The HTML report on its own: one plotly.js for many charts (the copies the notebook's first chart carries removed),
// TeX typeset offline by the embedded MathJax, nothing loaded from the network, outputs of every kind.
using NotebookRunner.Notebook;
using NotebookRunner.Report;

namespace NotebookRunner.Tests;

public class ReportTests
{
    [Fact]
    public async Task ManyChartsShareOneEmbeddedPlotlyAndExternalScriptsAreDropped()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            [
                Nb.Markdown("Markdown with a remote script <script src=\"https://example.org/evil.js\"></script> and $x^2$."),
                Nb.Code(Repo.SetupCell("Plotly.NET", "Compression.Notebooks.Display") + "\nNotebookFormatting.Register();"),
                Nb.Code("var c1 = Plotly.NET.CSharp.Chart.Point<double, double, string>(x: new[] { 1.0, 2 }, y: new[] { 3.0, 4 });\ndisplay(c1);\nc1"),
                Nb.Code("\"<script src='http://example.org/x.js'></script><p>after</p>\".DisplayAs(\"text/html\");\nConsole.Error.WriteLine(\"<warn>\");"),
                Nb.Code("throw new Exception(\"<oops>\");"),
            ],
            ["--html", dir.File("report.html")]);
        Assert.Equal(1, run.ExitCode);
        var html = File.ReadAllText(dir.File("report.html"));

        Assert.Equal(1, html.Split(ReportAssets.PlotlyJs[..400]).Length - 1);     // once, though the notebook carries a copy
        Assert.DoesNotContain(Publishing.PlotlyLibraryBegin, html);
        var body = html[html.IndexOf("</head>", StringComparison.Ordinal)..];
        Assert.Equal(2, body.Split("Plotly.newPlot(").Length - 1);
        Assert.DoesNotMatch("(?i)<script[^>]*src\\s*=\\s*[\"']?(https?:)?//", html);
        Assert.Contains("<p>after</p>", html);
        Assert.Contains("external script removed for the offline report: https://example.org/evil.js", html);
        Assert.Contains("<pre class=\"output stream stderr\">&lt;warn&gt;\n</pre>", html);
        Assert.Contains("<pre class=\"output error\">System.Exception: &lt;oops&gt;", html);
        Assert.DoesNotContain("Plotly chart (1 trace", html);                    // HTML wins over the text/plain fallback
        Assert.Contains("<span class=\"math\">\\(x^2\\)</span>", html);          // Markdig's math, for MathJax
        Assert.Equal(1, html.Split(ReportAssets.MathJax[..400]).Length - 1);

        // The .ipynb keeps one copy of plotly.js, in its first chart, so JupyterLab and VS Code draw offline.
        var ipynb = File.ReadAllText(run.OutputPath!);
        Assert.Equal(1, ipynb.Split(Publishing.PlotlyLibraryBegin).Length - 1);
        Assert.DoesNotContain("cdn.plot.ly/plotly-", ipynb);
    }

    [Fact]
    public async Task MarkdownAttachmentsAreInlined()
    {
        using var dir = new TempDir();
        var md = Nb.Markdown("![plot](attachment:fig%201.png)");
        md.Json["attachments"] = new System.Text.Json.Nodes.JsonObject
        {
            ["fig 1.png"] = new System.Text.Json.Nodes.JsonObject { ["image/png"] = "iVBORw0KGgo=" },
        };
        var run = await Cli.RunCellsAsync(dir, [md, Nb.Code("1")], ["--html", dir.File("r.html")]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"plot\"", File.ReadAllText(dir.File("r.html")));
    }

    [Fact]
    public async Task ReportCommandRendersAnExecutedNotebook()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "Console.WriteLine(\"hello report\");");
        Assert.Equal(0, run.ExitCode);
        var report = await Cli.RunAsync(["report", run.OutputPath!, "--html", dir.File("r.html")]);
        Assert.Equal(0, report.ExitCode);
        var html = File.ReadAllText(dir.File("r.html"));
        Assert.Contains("hello report", html);
        Assert.DoesNotContain("<script", html);                                  // no charts, no math: no scripts
    }
}
