// A smoke-sized retraining on a small MNIST subset: the prior pulls the weights onto its components.
using Compression.Data;
using Compression.Models;
using Compression.SoftWeightSharing;
using Compression.Training;
using Compression.Tests.Data;
using static TorchSharp.torch;

namespace Compression.Tests.SoftWeightSharing;

public class RetrainingTests
{
    [Fact]
    public void SmokeRetrainingConcentratesTheWeightsOnTheMixture()
    {
        Devices.Seed(1, threads: 1);
        var arch = new LeNet300100();
        var data = TestData.MnistSubset(1024, 1000);
        var pre = Pretrainer.Run(arch, data, new PretrainSettings { Steps = 150, BatchSize = 64 }, seed: 1, CPU);
        Assert.True(pre.TestError < 0.25, $"pretraining on 1,024 images should reach < 25% error, got {pre.TestError:P1}");

        // a mixture on the scale of a briefly trained LeNet300-100 (its weights are ~0.05), so that the short run
        // moves visibly; the tutorial's std 0.25 puts every weight in the zero component for the first epochs
        var prior = new MixturePriorSettings { InitialStd = 0.05, InitialMeanRange = 0.3 };
        var settings = new RetrainSettings { Steps = 150, BatchSize = 64, Tau = 0.01, HistoryEvery = 25, TestEvery = 75, WeightSample = 100 };
        var re = Retrainer.Run(pre.Network, data, prior, settings, seed: 1, CPU);

        var indices = PostProcessing.PriorIndices(arch, prior.BiasesInPrior).ToArray();
        float[] Flat(IReadOnlyList<Tensor> p) => indices.SelectMany(i => PostProcessing.ToFloats(p[i])).ToArray();
        var before = Flat(pre.Network.Parameters);
        var after = Flat(re.Network.Parameters);
        var mixture = re.Mixture;
        double entropyBefore = PostProcessing.Entropy(PostProcessing.Assign(before, mixture));
        double entropyAfter = PostProcessing.Entropy(PostProcessing.Assign(after, mixture));
        Console.WriteLine($"entropy {entropyBefore:F3} -> {entropyAfter:F3}, zero {re.History.Snapshots[0].ZeroFraction:P1} -> {re.History.Snapshots[^1].ZeroFraction:P1}, error {pre.TestError:P1} -> {re.TestError:P1}");
        Assert.True(entropyAfter < 0.8 * entropyBefore, $"assignment entropy {entropyBefore:F3} -> {entropyAfter:F3} bits/weight");
        double nllBefore = -before.Average(w => mixture.LogDensity(w));
        double nllAfter = -after.Average(w => mixture.LogDensity(w));
        Assert.True(nllAfter < nllBefore, $"-log p per weight {nllBefore:F3} -> {nllAfter:F3}");

        // the history a notebook plots
        var h = re.History;
        Assert.Equal(7, h.Snapshots.Count); // step 0, then every 25 steps
        Assert.Equal(6, h.Losses.Count);
        Assert.All(h.Snapshots, s => Assert.Equal(17, s.Means.Length));
        Assert.All(h.Snapshots, s => Assert.Equal(after.Length, s.Histogram.Sum()));
        Assert.Equal(100, h.SamplePretrained.Length);
        Assert.Equal(before[(int)h.SampleIndices[5]], h.SamplePretrained[5]);
        Assert.Equal(after[(int)h.SampleIndices[5]], h.Snapshots[^1].Sample[5]);
        Assert.NotNull(h.Losses[^1].TestError);
        var json = RetrainingHistory.FromJson(h.ToJson());
        Assert.Equal(h.Snapshots[^1].Means, json.Snapshots[^1].Means);
    }
}
