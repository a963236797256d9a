// The relaxation of the size term: the relaxed size n * H(P_T) tends to the hard n * H(histogram) as the temperature
// falls, and its gradients (in the weights and the centres) match finite differences in float64.
using Compression.EntropyConstrained;
using static TorchSharp.torch;

namespace Compression.Tests.EntropyConstrained;

public class RelaxedEntropyTests
{
    static (Tensor Values, Tensor Centres) Sample(ScalarType dtype)
    {
        var g = new Randomness.SplitMix64(7);
        // a peaked, heavy-tailed sample as pretrained weights are, and an uneven codebook with zero first
        var v = Enumerable.Range(0, 4000).Select(_ => { double u = g.NextDouble() - 0.5, e = g.NextDouble(); return 0.1 * u * Math.Abs(u) * 4 * (0.2 + e); }).ToArray();
        double[] c = [0, -0.09, -0.05, -0.02, 0.015, 0.04, 0.1];
        return (tensor(v, dtype: dtype), tensor(c, dtype: dtype));
    }

    [Fact]
    public void RelaxedSizeApproachesTheHardSizeAsTheTemperatureFalls()
    {
        var (values, centres) = Sample(float64);
        using var _v = values;
        using var _c = centres;
        using var nearest = RelaxedEntropy.Nearest(values, centres);
        double hard = RelaxedEntropy.HardBits(RelaxedEntropy.Counts(nearest, 7));
        Assert.True(hard > 1000, $"the sample should use several centres ({hard:F0} bits)");
        var gaps = new List<double>();
        foreach (var t in new[] { 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8 })
        {
            using var temperature = tensor(t, float64);
            using var bits = RelaxedEntropy.Bits(values, centres, temperature);
            gaps.Add(Math.Abs(bits.item<double>() - hard));
        }
        // at high temperature the soft assignments blur the histogram: far from the hard size
        Assert.True(gaps[0] > 0.05 * hard, $"gap at t=1e-2 only {gaps[0]:F1} bits of {hard:F0}");
        // the gap shrinks (allowing for tiny non-monotone wiggles) and vanishes
        for (int i = 1; i < gaps.Count; i++) Assert.True(gaps[i] <= gaps[i - 1] * 1.05 + 1e-9, $"gap grew: {string.Join(", ", gaps.Select(x => x.ToString("G3")))}");
        Assert.True(gaps[^1] < 1e-3 * hard, $"gap at t=1e-8: {gaps[^1]:G3} bits of {hard:F0}");
    }

    [Fact]
    public void HardBitsIsTheSizeOfTheHistogram()
    {
        Assert.Equal(0, RelaxedEntropy.HardBits([10, 0, 0]));
        Assert.Equal(4, RelaxedEntropy.HardBits([2, 2]), 12);
        Assert.Equal(8 * (-0.75 * Math.Log2(0.75) - 0.25 * Math.Log2(0.25)), RelaxedEntropy.HardBits([6, 2]), 12);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var (v0, c0) = Sample(float64);
        using var values = v0.narrow(0, 0, 300).clone().requires_grad_(true);
        using var centres = c0.clone().requires_grad_(true);
        v0.Dispose();
        c0.Dispose();
        using var temperature = tensor(3e-4, float64);
        using var bits = RelaxedEntropy.Bits(values, centres, temperature);
        bits.backward();
        var gv = values.grad!.data<double>().ToArray();
        var gc = centres.grad!.data<double>().ToArray();
        Assert.Contains(gv, g => Math.Abs(g) > 1e-3);
        double h = 1e-7;
        double Numeric(Tensor t, int k)
        {
            using var _ = no_grad();
            double x = t[k].item<double>();
            t[k] = x + h;
            double up;
            using (var b = RelaxedEntropy.Bits(values, centres, temperature)) up = b.item<double>();
            t[k] = x - h;
            double down;
            using (var b = RelaxedEntropy.Bits(values, centres, temperature)) down = b.item<double>();
            t[k] = x;
            return (up - down) / (2 * h);
        }
        foreach (var k in new[] { 0, 17, 42, 99, 150, 233, 299 })
        {
            double numeric = Numeric(values, k);
            Assert.True(Math.Abs(numeric - gv[k]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"weight {k}: autograd {gv[k]}, finite differences {numeric}");
        }
        for (int k = 0; k < gc.Length; k++)
        {
            double numeric = Numeric(centres, k);
            Assert.True(Math.Abs(numeric - gc[k]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"centre {k}: autograd {gc[k]}, finite differences {numeric}");
        }
    }

    [Fact]
    public void InitialCentresSitAtQuantilesOnBothSidesOfZero()
    {
        var values = Enumerable.Range(-1000, 2001).Select(i => i / 1000f).ToArray();
        var c = CodebookGroup.InitialCentres(values, 4, 0.5);
        Assert.Equal(4, c.Length);
        Assert.True(c.Zip(c.Skip(1)).All(p => p.First < p.Second), string.Join(", ", c));
        Assert.Equal(-0.75f, c[0], 2);
        Assert.Equal(-0.25f, c[1], 2);
        Assert.Equal(0.25f, c[2], 2);
        Assert.Equal(0.75f, c[3], 2);
        // a side with no values still gets distinct non-zero centres
        var positive = CodebookGroup.InitialCentres([0.1f, 0.2f, 0.3f], 4, 0.1);
        Assert.True(positive[0] < positive[1] && positive[1] < 0 && positive[2] > 0, string.Join(", ", positive));
    }
}
