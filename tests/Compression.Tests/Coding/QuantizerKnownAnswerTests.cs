// Known answers for PMF quantisation, worked by hand: the rounding start, the greedy add/remove phases with ties to
// the lowest index, the exchange phase that moves a count from a rounded-up symbol to a rounded-down one, the
// minimum count of 1 for tiny and zero masses (the escape included), and the exact messages of every refusal.
using Compression.Coding;

namespace Compression.Tests.Coding;

public class QuantizerKnownAnswerTests
{
    // [0.17, 0.1] at 2 bits: p = (.630, .370) rounds to [3, 1] (sum 4, no add/remove). Moving one count to index 1
    // gains .370 * log2(2/1) = .370 bits and costs .630 * log2(3/2) = .368 bits, so the exchange phase makes [2, 2].
    // [0.4, 0.68] is the mirror image: p = (.370, .630) rounds to [1, 3] and exchanges to [2, 2].
    // [0.89, 0.53]: p = (.627, .373) rounds to [3, 1] and exchanges to [2, 2].
    [Theory]
    [InlineData(new[] { 0.17, 0.1 }, 2, new[] { 2, 2 })]
    [InlineData(new[] { 0.4, 0.68 }, 2, new[] { 2, 2 })]
    [InlineData(new[] { 0.89, 0.53 }, 2, new[] { 2, 2 })]
    [InlineData(new[] { 0.32, 0.54 }, 2, new[] { 2, 2 })]
    public void ExchangePhaseMovesACountWhenItShortensTheCode(double[] masses, int precision, int[] expected)
    {
        Assert.Equal(expected, PmfQuantizer.Quantize(masses, precision));
    }

    // [21, 9, 17, 17] / 64 at 5 bits: 10.5, 4.5, 8.5, 8.5 round to even as [10, 4, 8, 8], two short of 32.
    // The first count goes to index 1 (gain .1406 * log2(5/4) = .04527); the second is a tie of
    // .2656 * log2(9/8) = .04513 between indices 2 and 3, which the lowest index wins.
    [Fact]
    public void AddingCountsBreaksGainTiesTowardsTheLowestIndex()
    {
        Assert.Equal([10, 5, 9, 8], PmfQuantizer.Quantize([21.0, 9.0, 17.0, 17.0], 5));
        // 16 * (1, 5, 3, 1, 1) / 11 rounds to [1, 7, 4, 1, 1], two short; indices 0, 3 and 4 tie for the last count.
        Assert.Equal([2, 7, 4, 2, 1], PmfQuantizer.Quantize([1.0, 5.0, 3.0, 1.0, 1.0], 4));
    }

    // [0, 0.46, 0.45, 0.46] at 3 bits: the zero mass still gets 1, the others round to 3 each (sum 10). The cheapest
    // removal is from index 2 (.3285 * log2(3/2)); the next is a tie between indices 1 and 3, which index 1 loses.
    [Fact]
    public void RemovingCountsBreaksCostTiesTowardsTheLowestIndex()
    {
        Assert.Equal([1, 2, 2, 3], PmfQuantizer.Quantize([0.0, 0.46, 0.45, 0.46], 3));
        Assert.Equal([2, 2, 1, 3], PmfQuantizer.Quantize([0.28, 0.29, 0.0, 0.29], 3));
    }

    [Fact]
    public void TinyAndZeroMassesKeepOneCountAndTheTotalIsExact()
    {
        // Rounding gives [16, 0, 0]: clamped to [16, 1, 1], the two extra counts come off index 0.
        int[] f = PmfQuantizer.Quantize([1.0, 1e-9, 1e-300], 4);
        Assert.Equal([14, 1, 1], f);
        Assert.Equal(16, f.Sum());
        // A table's escape symbol with zero tail mass still gets a count: pmf (1, 2, 1) / 4 at 4 bits rounds to
        // [4, 8, 4] + escape 1 = 17; the cheapest removal is index 1 (.5 * log2(8/7) < .25 * log2(4/3)).
        var table = CdfTable.FromPmf([1.0, 2.0, 1.0], 0.0, offset: -1, precision: 4);
        Assert.Equal([4, 7, 4, 1], table.Frequencies);
        Assert.Equal(1, table.EscapeFrequency);
    }

    [Fact]
    public void OneSymbolTakesTheWholeTotalAndAFullAlphabetGetsOnes()
    {
        Assert.Equal([2], PmfQuantizer.Quantize([0.3], 1));
        Assert.Equal([65536], PmfQuantizer.Quantize([5.0], CdfTable.MaxPrecision));
        Assert.Equal([1, 1], PmfQuantizer.Quantize([0.0, 7.0], 1));
    }

    [Fact]
    public void RefusalsNameTheProblem()
    {
        var precision = Assert.Throws<ArgumentOutOfRangeException>(() => PmfQuantizer.Quantize([1.0], 0));
        Assert.StartsWith("precision must be 1..16", precision.Message);
        Assert.Equal("precision", precision.ParamName);

        var empty = Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([], 4));
        Assert.StartsWith("no masses to quantize", empty.Message);
        Assert.Equal("masses", empty.ParamName);

        var oversized = Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize(new double[17], 4));
        Assert.StartsWith("17 symbols cannot each get a count of at least 1 out of 2^4 = 16", oversized.Message);

        var negative = Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([0.5, 0.25, double.NaN], 4));
        Assert.StartsWith("mass 2 is ", negative.Message);
        Assert.Contains("masses must be finite and >= 0", negative.Message);

        var zero = Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([0.0, 0.0], 4));
        Assert.StartsWith("masses sum to 0; need a positive finite total", zero.Message);
    }
}
