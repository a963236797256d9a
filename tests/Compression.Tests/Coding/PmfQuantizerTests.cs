// Quantizing a PMF to frequencies: exact total, every count >= 1, and rate-optimality against brute force.
using Compression.Coding;
using CsCheck;

namespace Compression.Tests.Coding;

public class PmfQuantizerTests
{
    static double ExpectedBits(double[] p, int[] f, int precision)
    {
        double sum = p.Sum(), bits = 0;
        for (int i = 0; i < p.Length; i++) bits += p[i] / sum * (precision - Math.Log2(f[i]));
        return bits;
    }

    [Fact]
    public void CountsArePositiveAndSumExactly() =>
        Gen.Select(Gen.Int[1, 16], Gen.Double[0, 1].Array[1, 400], Gen.Int[0, 3]).Sample((precision, raw, shape) =>
        {
            var masses = shape switch
            {
                0 => raw,
                1 => raw.Select(x => x * x * x * x).ToArray(),
                2 => raw.Select((x, i) => i == 0 ? 1.0 : 0.0).ToArray(),
                _ => raw.Select(x => Math.Exp(-30 * x)).ToArray(),
            };
            if (masses.Sum() == 0) masses[0] = 1;
            if (masses.Length > 1 << precision) return;
            var f = PmfQuantizer.Quantize(masses, precision);
            Assert.Equal(masses.Length, f.Length);
            Assert.All(f, x => Assert.True(x >= 1));
            Assert.Equal(1L << precision, f.Sum(x => (long)x));
        }, iter: 300);

    [Fact]
    public void MatchesBruteForceOptimumOnSmallAlphabets() =>
        Gen.Select(Gen.Int[2, 5], Gen.Int[2, 5], Gen.Double[0, 1].Array[5]).Sample((n, precision, raw) =>
        {
            if (n > 1 << precision) return;
            var p = raw.Take(n).Select(x => x * x).ToArray();
            if (p.Sum() == 0) p[0] = 1;
            var f = PmfQuantizer.Quantize(p, precision);
            double best = double.PositiveInfinity;
            foreach (var c in Compositions(1 << precision, n)) best = Math.Min(best, ExpectedBits(p, c, precision));
            Assert.Equal(best, ExpectedBits(p, f, precision), 1e-9);
        }, iter: 200);

    static IEnumerable<int[]> Compositions(int total, int parts)
    {
        if (parts == 1) { yield return [total]; yield break; }
        for (int first = 1; first <= total - parts + 1; first++)
            foreach (var rest in Compositions(total - first, parts - 1))
                yield return [first, .. rest];
    }

    [Fact]
    public void NoSingleExchangeShortensTheCode()
    {
        var p = Samples.Laplace(300, 3).Concat([1e-6]).ToArray();
        var f = PmfQuantizer.Quantize(p, 16);
        double sum = p.Sum();
        double maxGain = p.Select((x, i) => x / sum * Math.Log2((f[i] + 1.0) / f[i])).Max();
        double minCost = p.Select((x, i) => f[i] > 1 ? x / sum * Math.Log2(f[i] / (f[i] - 1.0)) : double.PositiveInfinity).Min();
        Assert.True(maxGain <= minCost * (1 + 1e-9), $"gain {maxGain} > cost {minCost}");
    }

    [Fact]
    public void IsDeterministic()
    {
        var p = Samples.Gaussian(500, 40).Select((x, i) => x * (1 + 0.01 * (i % 7))).ToArray();
        Assert.Equal(PmfQuantizer.Quantize(p, 16), PmfQuantizer.Quantize(p, 16));
    }

    [Fact]
    public void FillsAFullAlphabetWithOnes()
    {
        var f = PmfQuantizer.Quantize(Enumerable.Repeat(1.0, 1 << 12).ToArray(), 12);
        Assert.All(f, x => Assert.Equal(1, x));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(double.PositiveInfinity)]
    public void RejectsInvalidMasses(double bad) =>
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([0.5, bad], 16));

    [Fact]
    public void RejectsAllZeroAndOversizedInputs()
    {
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([0.0, 0.0], 16));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize(new double[17], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => PmfQuantizer.Quantize([1.0], 17));
        Assert.Throws<ArgumentOutOfRangeException>(() => PmfQuantizer.Quantize([1.0], 0));
    }
}
