// Histograms are binned in C#, so charts carry counts rather than every value.
using Compression.Notebooks;

namespace Compression.Tests.Notebooks;

public class PlotsTests
{
    [Fact]
    public void BinsCountEveryFiniteValueOnce()
    {
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 7).Append(double.NaN).Append(double.PositiveInfinity).ToArray();
        var (centers, counts) = Plots.Bin(values, 15);
        Assert.Equal(15, centers.Length);
        Assert.Equal(1000, counts.Sum());
        Assert.True(centers.Zip(centers.Skip(1)).All(p => p.Second > p.First));
        Assert.True(centers[0] > values.Where(double.IsFinite).Min() && centers[^1] < values.Where(double.IsFinite).Max());
    }

    [Fact]
    public void IntegerLatentsGetOneBinEach()
    {
        double[] values = [-2, -2, -1, 0, 0, 0, 0, 1, 2, 2];
        var (centers, counts) = Plots.Bin(values, 5);
        Assert.Equal([2, 1, 4, 1, 2], counts);
        Assert.Equal(-1.6, centers[0], 12);
    }

    [Fact]
    public void DegenerateInputs()
    {
        Assert.Empty(Plots.Bin([], 10).Counts);
        Assert.Equal([3.0], Plots.Bin([0.5, 0.5, 0.5], 10).Counts);
        Assert.Throws<ArgumentOutOfRangeException>(() => Plots.Bin([1.0], 0));
    }

    [Fact]
    public void HistogramChartHoldsCountsNotValues()
    {
        var values = Enumerable.Range(0, 200_000).Select(i => (double)(i % 11)).ToArray();
        var html = Plotly.NET.GenericChart.toChartHTML(Plots.Histogram(values, "latent", bins: 11));
        Assert.True(html.Length < 20_000, $"chart HTML has {html.Length} characters");
    }
}
