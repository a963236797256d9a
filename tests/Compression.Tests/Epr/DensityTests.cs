// The factorized density: its CDF is monotone, its PMF over the integers plus the tail mass sums to one,
// gradients reach every variable, the sign trick keeps tail probabilities, and the three ways of
// evaluating the rate agree.
using Compression.Probability;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class DensityTests
{
    static DeepFactorizedDensity Perturbed(int columns, int seed)
    {
        manual_seed(seed);
        var d = new DeepFactorizedDensity(columns);
        using var no = no_grad();
        foreach (var p in d.Parameters) p.add_(randn_like(p) * 0.5);
        return d;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CumulativeIsMonotone(int seed)
    {
        using var scope = NewDisposeScope();
        using var d = Perturbed(3, seed);
        using var no = no_grad();
        var x = linspace(-60, 60, 4001).reshape(1, 1, -1).expand(3, 1, 4001);
        var logits = d.LogitsCumulative(x);
        var steps = logits.narrow(2, 1, 4000) - logits.narrow(2, 0, 4000);
        Assert.True(steps.min().item<float>() >= 0, "CDF logits decrease somewhere");
    }

    [Fact]
    public void PmfAndTailSumToOne()
    {
        using var scope = NewDisposeScope();
        using var d = Perturbed(2, 3);
        for (int c = 0; c < 2; c++)
        {
            var wide = PmfTabulation.Tabulate(d, c, -200, 200);
            Assert.Equal(1.0, wide.Pmf.Sum() + wide.TailMass, 9);
            var narrow = PmfTabulation.Tabulate(d, c, -3, 4);
            Assert.Equal(1.0, narrow.Pmf.Sum() + narrow.TailMass, 9);
            Assert.True(narrow.TailMass > wide.TailMass);
        }
    }

    [Fact]
    public void QuantilesBracketTheMass()
    {
        using var scope = NewDisposeScope();
        using var d = Perturbed(1, 5);
        double median = PmfTabulation.Median(d, 0);
        double lo = PmfTabulation.Quantile(d, 0, 0.01), hi = PmfTabulation.Quantile(d, 0, 0.99);
        Assert.True(lo < median && median < hi);
        using var no = no_grad();
        var logits = d.LogitsCumulative(tensor(new[] { lo, median, hi }).reshape(1, 1, 3).to(float32));
        var cdf = sigmoid(logits).data<float>().ToArray();
        Assert.Equal(0.01, cdf[0], 3);
        Assert.Equal(0.5, cdf[1], 3);
        Assert.Equal(0.99, cdf[2], 3);
    }

    [Fact]
    public void GradientsReachEveryVariable()
    {
        using var scope = NewDisposeScope();
        using var d = Perturbed(2, 6);
        var y = (randn(100, 2) * 3).requires_grad_();
        d.Likelihood(y).log().sum().neg().backward();
        var grad = d.Variables.grad!;
        foreach (var (name, offset, shape) in d.Layout)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            Assert.True(grad.narrow(0, offset, count).abs().sum().item<float>() > 0, $"density variable {name} gets no gradient");
        }
        Assert.Equal(2 * 43, d.Variables.numel()); // 43 variables per column for filters (3, 3, 3)
        Assert.True(y.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void SignTrickKeepsFarTailProbabilities()
    {
        using var scope = NewDisposeScope();
        var lower = tensor(new[] { 20f, -21f });
        var upper = tensor(new[] { 21f, -20f });
        var p = DeepFactorizedDensity.SignTrickDifference(lower, upper).data<float>().ToArray();
        double expected = 1 / (1 + Math.Exp(-21)) - 1 / (1 + Math.Exp(-20)); // ~1.3e-9, lost in a naive float32 difference
        Assert.Equal(expected, p[0], 1e-11);
        Assert.Equal(expected, p[1], 1e-11);
    }

    [Fact]
    public void RateEvaluationsAgreeInValueAndGradient()
    {
        using var scope = NewDisposeScope();
        using var d = Perturbed(1, 7);
        var latents = new[] { (randn(3000, 1) * 4).requires_grad_(), (randn(500, 1) * 2).requires_grad_() };
        var results = new Dictionary<RateEvaluation, (double Bits, float[] Latent, float[] Density)>();
        foreach (var e in new[] { RateEvaluation.Exact, RateEvaluation.Interpolated, RateEvaluation.Fused })
        {
            foreach (var l in latents) l.grad?.zero_();
            foreach (var p in d.Parameters) p.grad?.zero_();
            var bits = NoisyRate.Bits(d, latents, e, noise: false);
            bits.backward();
            results[e] = (bits.item<float>(), latents[0].grad!.data<float>().ToArray(), d.Parameters[0].grad!.data<float>().ToArray());
        }
        var exact = results[RateEvaluation.Exact];
        foreach (var e in new[] { RateEvaluation.Interpolated, RateEvaluation.Fused })
        {
            var r = results[e];
            Assert.True(Math.Abs(r.Bits - exact.Bits) < 1e-3 * exact.Bits, $"{e}: {r.Bits} vs {exact.Bits} bits");
            double err = r.Latent.Zip(exact.Latent, (a, b) => Math.Abs(a - b)).Max();
            double scale = exact.Latent.Max(Math.Abs);
            Assert.True(err < 0.02 * scale, $"{e}: latent gradients differ by {err} (scale {scale})");
            for (int i = 0; i < r.Density.Length; i++)
                Assert.True(Math.Abs(r.Density[i] - exact.Density[i]) < 1e-2 * Math.Abs(exact.Density[i]) + 1e-2, $"{e}: density gradient {r.Density[i]} vs {exact.Density[i]}");
        }
        // The fused pass computes the interpolated function itself: same value and gradients up to rounding.
        Assert.Equal(results[RateEvaluation.Interpolated].Bits, results[RateEvaluation.Fused].Bits, 0.5);
    }

    [Fact]
    public void NoisyRateIsCloseToTheRateOfTheRoundedLatents()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var d = new DeepFactorizedDensity(1);
        var latents = new[] { (randn(20000, 1) * 3) };
        var noisy = NoisyRate.Bits(d, latents, RateEvaluation.Fused).item<float>();
        var noisy2 = NoisyRate.Bits(d, latents, RateEvaluation.Interpolated).item<float>();
        Assert.True(Math.Abs(noisy - noisy2) < 0.01 * noisy, $"fused {noisy} vs tensor path {noisy2} with noise");
    }
}
