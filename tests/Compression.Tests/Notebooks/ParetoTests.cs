// The Pareto front of (size, error) results: nothing on it is beaten on both axes, everything off it is.
using Compression.Notebooks;

namespace Compression.Tests.Notebooks;

public class ParetoTests
{
    [Fact]
    public void KeepsExactlyTheNonDominatedPointsBySize()
    {
        (double Size, double Error)[] points = [(19.5, 1.56), (9.2, 1.72), (4.3, 2.58), (2.7, 3.03), (12.8, 2.03), (6.6, 1.75), (8.7, 1.75)];
        var front = Pareto.Front(points, p => p.Size, p => p.Error);
        Assert.Equal([(2.7, 3.03), (4.3, 2.58), (6.6, 1.75), (9.2, 1.72), (19.5, 1.56)], front);
    }

    [Fact]
    public void NoPointOffTheFrontBeatsOneOnIt()
    {
        var random = new Random(7);
        var points = Enumerable.Range(0, 300).Select(_ => (Size: random.NextDouble() * 100, Error: random.NextDouble() * 10)).ToArray();
        var front = Pareto.Front(points, p => p.Size, p => p.Error);
        foreach (var f in front)
            Assert.DoesNotContain(points, p => p.Size <= f.Size && p.Error <= f.Error && (p.Size < f.Size || p.Error < f.Error));
        foreach (var p in points.Except(front))
            Assert.Contains(front, f => f.Size <= p.Size && f.Error <= p.Error);
        Assert.True(front.Zip(front.Skip(1)).All(pair => pair.Second.Size > pair.First.Size && pair.Second.Error < pair.First.Error));
    }

    [Fact]
    public void TiesAndNonFiniteValues()
    {
        (double Size, double Error)[] points = [(5, 2), (5, 1), (5, 1), (double.NaN, 0), (1, double.PositiveInfinity)];
        Assert.Equal([(5.0, 1.0)], Pareto.Front(points, p => p.Size, p => p.Error));
        Assert.Empty(Pareto.Front(Array.Empty<(double, double)>(), p => p.Item1, p => p.Item2));
    }
}
