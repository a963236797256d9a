// The mixture prior's log-density and its gradients against direct computations.
using Compression.SoftWeightSharing;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.SoftWeightSharing;

public class MixturePriorTests
{
    static (GaussianMixturePrior Prior, MixtureState State) RandomPrior(int seed, int components = 17)
    {
        var rng = new Random(seed);
        var settings = new MixturePriorSettings { Components = components };
        var means = new double[components];
        var gammas = new double[components];
        var logPi = new double[components];
        for (int j = 0; j < components; j++)
        {
            means[j] = j == 0 ? 0 : rng.NextDouble() * 1.2 - 0.6;
            gammas[j] = 2 + 4 * rng.NextDouble();
            logPi[j] = rng.NextDouble() - 0.5;
        }
        var prior = GaussianMixturePrior.FromState(settings, new MixtureState(means, gammas, logPi));
        return (prior, prior.State());
    }

    static float[] RandomWeights(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 1.6 - 0.8)).ToArray();
    }

    [Fact]
    public void InitialisationFollowsTheTutorial()
    {
        using var prior = GaussianMixturePrior.Create(new MixturePriorSettings());
        var s = prior.State();
        Assert.Equal(17, s.Count);
        Assert.Equal(0.0, s.Means[0]);
        Assert.Equal(-0.6, s.Means[1], 6);
        Assert.Equal(0.6, s.Means[16], 6);
        Assert.All(s.Stds, sd => Assert.Equal(0.25, sd, 5));
        Assert.Equal(0.99, s.Proportions[0], 12);
        Assert.All(s.Proportions.Skip(1), p => Assert.Equal(0.01 / 16, p, 7));
        Assert.Equal(1.0, s.Proportions.Sum(), 6);
    }

    [Fact]
    public void LogDensityMatchesTheMixtureFormula()
    {
        var (prior, state) = RandomPrior(1);
        using var _ = prior;
        var w = RandomWeights(2, 1000);
        var logp = PostProcessingTestsHelpers.Floats(prior.LogDensity(tensor(w)));
        for (int i = 0; i < w.Length; i++)
        {
            double direct = 0;
            for (int j = 0; j < state.Count; j++)
            {
                double sd = state.Stds[j], d = w[i] - state.Means[j];
                direct += state.Proportions[j] / (Math.Sqrt(2 * Math.PI) * sd) * Math.Exp(-0.5 * d * d / (sd * sd));
            }
            Assert.Equal(Math.Log(direct), logp[i], 1e-5);
            Assert.Equal(Math.Log(direct), state.LogDensity(w[i]), 1e-9);
        }
    }

    static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-3 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void AutogradGradientsMatchFiniteDifferencesOfTheDirectDensity()
    {
        var (prior, state) = RandomPrior(3, components: 5);
        using var _ = prior;
        var w = RandomWeights(4, 50);
        var wt = tensor(w).requires_grad_(true);
        var nll = prior.NegativeLogLikelihood([wt]);
        nll.backward();
        var gw = PostProcessingTestsHelpers.Floats(wt.grad!);
        var gMean = PostProcessingTestsHelpers.Floats(prior.Means.grad!);
        var gGamma = PostProcessingTestsHelpers.Floats(prior.LogPrecisions.grad!);
        var gRho = PostProcessingTestsHelpers.Floats(prior.LogProportions.grad!);
        const double h = 1e-6;
        double Nll(MixtureState s, float[] x) => -x.Sum(v => s.LogDensity(v));
        for (int i = 0; i < 5; i++)
        {
            double fd = (-state.LogDensity(w[i] + h) + state.LogDensity(w[i] - h)) / (2 * h);
            Assert.Equal(fd, gw[i], 1e-3 * Math.Max(1, Math.Abs(fd)));
        }
        for (int j = 1; j < state.Count; j++)
        {
            var plus = state with { Means = (double[])state.Means.Clone() };
            var minus = state with { Means = (double[])state.Means.Clone() };
            plus.Means[j] += h; minus.Means[j] -= h;
            Close((Nll(plus, w) - Nll(minus, w)) / (2 * h), gMean[j - 1]);
        }
        for (int j = 0; j < state.Count; j++)
        {
            var plus = state with { LogPrecisions = (double[])state.LogPrecisions.Clone() };
            var minus = state with { LogPrecisions = (double[])state.LogPrecisions.Clone() };
            plus.LogPrecisions[j] += h; minus.LogPrecisions[j] -= h;
            Close((Nll(plus, w) - Nll(minus, w)) / (2 * h), gGamma[j]);
        }
        // rho: log pi_k = log(1 - pi0) + log_softmax(rho)_k
        var rho = PostProcessingTestsHelpers.Floats(prior.LogProportions).Select(v => (double)v).ToArray();
        MixtureState WithRho(double[] r)
        {
            double max = r.Max(), z = r.Sum(v => Math.Exp(v - max));
            var logPi = new double[state.Count];
            logPi[0] = Math.Log(0.99);
            for (int k = 0; k < r.Length; k++) logPi[k + 1] = Math.Log(0.01) + r[k] - max - Math.Log(z);
            return state with { LogProportions = logPi };
        }
        for (int k = 0; k < rho.Length; k++)
        {
            var plus = (double[])rho.Clone(); plus[k] += h;
            var minus = (double[])rho.Clone(); minus[k] -= h;
            Close((Nll(WithRho(plus), w) - Nll(WithRho(minus), w)) / (2 * h), gRho[k]);
        }
    }

    [Fact]
    public void FusedPassMatchesAutograd()
    {
        var (prior, _) = RandomPrior(5);
        using var __ = prior;
        const double scale = 0.37;
        var w1 = RandomWeights(6, 1003);
        var w2 = RandomWeights(7, 77);
        // autograd reference: scale * (NLL + hyperprior)
        var a1 = tensor(w1).requires_grad_(true);
        var a2 = tensor(w2).reshape(7, 11).requires_grad_(true);
        var reference = prior.NegativeLogLikelihood([a1, a2]);
        (scale * (reference + prior.NegativeLogHyperprior())).backward();
        var refGrads = new[] { a1.grad!, a2.grad!, prior.Means.grad!, prior.LogPrecisions.grad!, prior.LogProportions.grad! }
            .Select(PostProcessingTestsHelpers.Floats).ToList();
        foreach (var p in prior.TrainableTensors) p.grad!.zero_();

        var f1 = tensor(w1).requires_grad_(true);
        var f2 = tensor(w2).reshape(7, 11).requires_grad_(true);
        double nll = prior.FusedComplexity([f1, f2], scale, out var surrogate);
        surrogate.backward();
        var fusedGrads = new[] { f1.grad!, f2.grad!, prior.Means.grad!, prior.LogPrecisions.grad!, prior.LogProportions.grad! }
            .Select(PostProcessingTestsHelpers.Floats).ToList();

        Assert.Equal(reference.item<float>(), nll, Math.Abs(nll) * 1e-5);
        for (int t = 0; t < refGrads.Count; t++)
        {
            Assert.Equal(refGrads[t].Length, fusedGrads[t].Length);
            double norm = Math.Max(1e-6, refGrads[t].Max(Math.Abs));
            for (int i = 0; i < refGrads[t].Length; i++)
                Assert.True(Math.Abs(refGrads[t][i] - fusedGrads[t][i]) <= 1e-4 * norm + 1e-6,
                    $"tensor {t} element {i}: autograd {refGrads[t][i]}, fused {fusedGrads[t][i]}");
        }
    }

    [Fact]
    public void HyperpriorIsTheGammaNegativeLogDensityUpToAConstant()
    {
        var (prior, state) = RandomPrior(8);
        using var _ = prior;
        double expected = 0;
        for (int j = 0; j < state.Count; j++)
        {
            double alpha = j == 0 ? 5000 : 250, beta = j == 0 ? 2 : 0.1;
            expected += (1 - alpha) * state.LogPrecisions[j] + beta * state.Precisions[j];
        }
        Assert.Equal(expected, prior.NegativeLogHyperprior().item<float>(), Math.Abs(expected) * 1e-5);
    }
}

static class PostProcessingTestsHelpers
{
    public static float[] Floats(Tensor t) => PostProcessing.ToFloats(t);
}
