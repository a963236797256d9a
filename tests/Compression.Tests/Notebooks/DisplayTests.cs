// What readers see: numbers rounded for reading, Deedle tables without type rows or <missing>, charts at the page's
// width that carry plotly.js once, named columns on a category axis, the comparison chart's markers and fronts,
// and training progress as one updating line with the full log in a file.
using System.Text.Json;
using Compression.Notebooks;
using Compression.Notebooks.Display;
using Deedle.Internal;

namespace Compression.Tests.Notebooks;

public class DisplayTests
{
    [Theory]
    [InlineData(1.7999999999999998, "1.8")]
    [InlineData(0.012345678, "0.01235")]
    [InlineData(6604.0, "6604")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(123.456789, "123.5")]
    [InlineData(2.79e-5, "2.79e-5")]
    [InlineData(12345678.9, "1.235e+7")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "")]
    public void NumbersAreRoundedForReading(double value, string text) => Assert.Equal(text, Readable.Number(value));

    [Fact]
    public void FramesShowNoTypeRowNoMissingAndRoundedNumbers()
    {
        var frame = Tables.Of(new[] { new { Part = "bitstream", Bytes = 5994L, Percent = 90.76666666666667, Estimate = double.NaN } });
        var html = FrameHtml.Frame((IFrameFormattable)frame);
        Assert.Contains("<th>Part</th><th>Bytes</th><th>Percent</th><th>Estimate</th>", html);
        Assert.Contains(">90.77</td>", html);
        Assert.DoesNotContain("missing", html);
        Assert.DoesNotContain("Double", html);
        Assert.DoesNotContain("String", html);
        Assert.Contains("overflow-x: auto", html);                      // wide tables scroll inside the page
    }

    [Fact]
    public void ChartsUseThePageWidthAndCarryPlotlyJsOncePerSession()
    {
        var chart = Plots.Lines("x", "y", [new Series("s", [1.0, 2.0], [3.0, 4.0])]);
        PlotlyHtml.ResetSession();
        var first = PlotlyHtml.Fragment(chart);
        var second = PlotlyHtml.Fragment(chart);
        Assert.Contains(PlotlyHtml.LibraryBegin, first);
        Assert.DoesNotContain(PlotlyHtml.LibraryBegin, second);
        Assert.Equal(second.Length, PlotlyHtml.WithoutLibrary(first).Length);   // the same fragment once the copy is removed
        Assert.Contains("width: 100%", second);
        Assert.Contains("\"autosize\":true", second);                  // plotly.js sizes it to its container
        Assert.DoesNotContain("cdn.plot.ly/plotly-", first);
    }

    [Fact]
    public void NamedColumnsGetACategoryAxis()
    {
        var chart = Plots.Columns("part of the file", "bytes", ["Header", "Bitstream"], [("bytes", [24.0, 5994.0])]);
        using var figure = JsonDocument.Parse(Plotly.NET.GenericChart.toFigureJson(chart));
        Assert.Equal("category", figure.RootElement.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void ComparisonChartMarksMethodsPapersAndFronts()
    {
        ComparisonPoint[] points =
        [
            new("EPR", 19.5, 1.56, "λ 0.05", false), new("EPR", 9.2, 1.72, "λ 0.1", false), new("EPR", 12.0, 2.0, "dominated", false),
            new("EPR", 8.56, 1.9, "Table 1", true), new("soft weight-sharing", 12.8, 6.58, "quick", false),
        ];
        using var figure = JsonDocument.Parse(Plotly.NET.GenericChart.toFigureJson(Plots.Comparison("LeNet300-100", points)));
        var traces = figure.RootElement.GetProperty("data").EnumerateArray().ToArray();
        var names = traces.Select(t => t.GetProperty("name").GetString() ?? "").ToArray();
        Assert.Equal(["EPR (this package)", "soft weight-sharing (this package)", "EPR (paper)", "EPR: Pareto front"], names);
        string Symbol(int i) => traces[i].GetProperty("marker").GetProperty("symbol").ToString();
        Assert.NotEqual(Symbol(0), Symbol(1));                          // a marker per method
        // The paper's points hollow: plotly.js's "-open" variant of the same symbol, its code plus 100.
        Assert.Equal(int.Parse(Symbol(0)) + 100, int.Parse(Symbol(2)));
        Assert.Equal(["λ 0.1", "dominated", "λ 0.05"], traces[0].GetProperty("text").EnumerateArray().Select(t => t.GetString() ?? ""));
        Assert.Equal([9.2, 19.5], traces[3].GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        var layout = figure.RootElement.GetProperty("layout");
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());   // 6.58% does not squash 1.5%
    }

    [Fact]
    public void ProgressShowsOneLineAndLogsEverything()
    {
        var dir = Directory.CreateTempSubdirectory("progress-test-").FullName;
        var shown = new List<string>();
        var log = Path.Combine(dir, "sub", "training.log");
        using (var progress = new ProgressDisplay(log, shown.Add, TimeSpan.FromHours(1)))
        {
            for (int i = 1; i <= 300; i++) progress.WriteLine($"step {i}");
            progress.Write("partial ");
            progress.Write("last line");
        }
        Assert.Equal(301, File.ReadAllLines(log).Length);
        Assert.Equal("partial last line", File.ReadAllLines(log)[^1]);
        Assert.True(shown.Count <= 3, $"{shown.Count} updates for 301 lines");   // throttled: start, (first), final
        Assert.StartsWith("partial last line", shown[^1]);
        Assert.Contains("301 lines", shown[^1]);
        Directory.Delete(dir, recursive: true);

        var withoutLog = new List<string>();
        using (var progress = new ProgressDisplay(null, withoutLog.Add, TimeSpan.Zero))
            progress.WriteLine("step 1");
        Assert.Equal(["starting", "step 1    (1 lines)"], withoutLog);
    }
}
