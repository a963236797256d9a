// The few chart shapes the notebooks draw, built with Plotly.NET so notebook cells stay one line long.
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Compression.Notebooks;

/// <summary>One named series of a line or scatter chart.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<string>? Labels = null);

/// <summary>One result on a size-against-error comparison: ours or a paper's.</summary>
public sealed record ComparisonPoint(string Method, double SizeKB, double ErrorPercent, string Label, bool FromPaper);

public static class Plots
{
    /// <summary>Lines (curves over training steps, rate against distortion, ...).</summary>
    public static GenericChart Lines(string xTitle, string yTitle, IEnumerable<Series> series, bool logX = false, bool logY = false, bool markers = false) =>
        Style(Chart.Combine(series.Select(s =>
            Chart.Line<double, double, string>(s.X.ToArray(), s.Y.ToArray(), ShowMarkers: markers, Name: s.Name))), xTitle, yTitle, logX, logY);

    /// <summary>Points with hover labels (size against error, one point per run or per paper).</summary>
    public static GenericChart Points(string xTitle, string yTitle, IEnumerable<Series> series, bool logX = false, bool logY = false) =>
        Style(Chart.Combine(series.Select(s =>
            Chart.Point<double, double, string>(s.X.ToArray(), s.Y.ToArray(), Name: s.Name,
                MultiText: s.Labels?.ToArray() ?? new Optional<IEnumerable<string>>()))), xTitle, yTitle, logX, logY);

    /// <summary>
    /// Histogram binned here, not in the browser: the chart carries <paramref name="bins"/> counts instead of every
    /// value (a 400,000-latent group would otherwise put megabytes of numbers into the notebook).
    /// </summary>
    public static GenericChart Histogram(IReadOnlyList<double> values, string xTitle, int bins = 100, string name = "count", bool logY = false)
    {
        var (centers, counts) = Bin(values, bins);
        return Style(Chart.Column<double, double, string>(counts, Keys: centers, Name: name), xTitle, "count", false, logY);
    }

    /// <summary>
    /// Equal-width bins over [min, max] of the values: bin centres and counts (the maximum falls in the last bin;
    /// non-finite values are left out). No values give no bins; equal values give one bin.
    /// </summary>
    public static (double[] Centers, double[] Counts) Bin(IReadOnlyList<double> values, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "at least one bin");
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return ([], []);
        double lo = finite.Min(), hi = finite.Max();
        if (hi == lo) return ([lo], [finite.Length]);
        double width = (hi - lo) / bins;
        var counts = new double[bins];
        foreach (var v in finite) counts[Math.Min(bins - 1, (int)((v - lo) / width))]++;
        return (Enumerable.Range(0, bins).Select(b => lo + (b + 0.5) * width).ToArray(), counts);
    }

    /// <summary>Side-by-side columns: one trace per entry of <paramref name="series"/>, sharing the category axis.</summary>
    public static GenericChart Columns(string xTitle, string yTitle, IReadOnlyList<string> categories, IEnumerable<(string Name, IReadOnlyList<double> Values)> series, bool logY = false) =>
        Style(Chart.Combine(series.Select(s =>
            Chart.Column<double, string, string>(s.Values.ToArray(), Keys: categories.ToArray(), Name: s.Name))),
            xTitle, yTitle, StyleParam.AxisType.Category, logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);

    /// <summary>
    /// Size against error, one distinct marker per method, every point labelled; the papers' points open (hollow) and
    /// named "(paper)"; each of our methods' Pareto front as a dashed line. Both axes are logarithmic, so that one
    /// poor result (e.g. 6.58%) does not squash the points near 1%. <paramref name="title"/> (the model) heads the x axis.
    /// </summary>
    public static GenericChart Comparison(string title, IEnumerable<ComparisonPoint> points)
    {
        var all = points.ToList();
        var methods = all.Select(p => p.Method).Distinct().ToList();
        var traces = new List<GenericChart>();
        foreach (var group in all.GroupBy(p => (p.Method, p.FromPaper)).OrderBy(g => g.Key.FromPaper))
        {
            var symbol = Symbols[methods.IndexOf(group.Key.Method) % Symbols.Length];
            var rows = group.OrderBy(p => p.SizeKB).ToList();
            traces.Add(Chart.Point<double, double, string>(rows.Select(p => p.SizeKB), rows.Select(p => p.ErrorPercent),
                Name: group.Key.FromPaper ? $"{group.Key.Method} (paper)" : $"{group.Key.Method} (this package)",
                MultiText: rows.Select(p => p.Label).ToArray(), TextPosition: StyleParam.TextPosition.TopCenter,
                MarkerSymbol: group.Key.FromPaper ? StyleParam.MarkerSymbol.NewModified(symbol, StyleParam.SymbolStyle.Open) : symbol));
        }
        foreach (var method in all.Where(p => !p.FromPaper).GroupBy(p => p.Method))
        {
            var front = Pareto.Front(method, p => p.SizeKB, p => p.ErrorPercent);
            if (front.Count < 2) continue;
            traces.Add(Chart.Line<double, double, string>(front.Select(p => p.SizeKB), front.Select(p => p.ErrorPercent),
                Name: $"{method.Key}: Pareto front", LineDash: StyleParam.DrawingStyle.Dash));
        }
        return Style(Chart.Combine(traces), $"{title}: size (KB, log scale)", "test error (%, log scale)", StyleParam.AxisType.Log, StyleParam.AxisType.Log);
    }

    static readonly StyleParam.MarkerSymbol[] Symbols =
    [
        StyleParam.MarkerSymbol.Circle, StyleParam.MarkerSymbol.Square, StyleParam.MarkerSymbol.Diamond,
        StyleParam.MarkerSymbol.TriangleUp, StyleParam.MarkerSymbol.Cross, StyleParam.MarkerSymbol.X,
        StyleParam.MarkerSymbol.Star, StyleParam.MarkerSymbol.TriangleDown, StyleParam.MarkerSymbol.Pentagon,
    ];

    /// <summary>A grid of grey-scale images (e.g. MNIST digits), each rows x columns, tiled side by side.</summary>
    public static GenericChart Images(IReadOnlyList<float[]> images, int rows, int columns, int perRow = 10)
    {
        int gridRows = (images.Count + perRow - 1) / perRow;
        var z = new double[gridRows * (rows + 1)][];
        for (int r = 0; r < z.Length; r++) z[r] = new double[perRow * (columns + 1)];
        for (int i = 0; i < images.Count; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    z[(i / perRow) * (rows + 1) + r][(i % perRow) * (columns + 1) + c] = images[i][r * columns + c];
        return Chart.Heatmap<double, int, int, string>(z.Reverse().Select(row => (IEnumerable<double>)row).ToArray(), ShowScale: false,
                ColorScale: StyleParam.Colorscale.Greys, ReverseScale: true)
            .WithXAxisStyle<double, double, string>(ShowGrid: false).WithYAxisStyle<double, double, string>(ShowGrid: false)
            .WithSize(Width: 60 * perRow + 160, Height: 60 * gridRows + 160);
    }

    static GenericChart Style(GenericChart chart, string xTitle, string yTitle, bool logX, bool logY) =>
        Style(chart, xTitle, yTitle, logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear, logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);

    // The x axis type is the caller's: a category axis for named columns (a linear one over names draws nothing).
    static GenericChart Style(GenericChart chart, string xTitle, string yTitle, StyleParam.AxisType x, StyleParam.AxisType y) =>
        chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: x)
             .WithYAxisStyle<double, double, string>(TitleText: yTitle, AxisType: y);
}
