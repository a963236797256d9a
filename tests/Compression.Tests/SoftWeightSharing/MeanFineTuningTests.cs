// Fine-tuning the shared values: assignments and exact zeros stay, the means move, the training loss falls,
// and the same seed gives the same bytes.
using Compression.Data;
using Compression.Models;
using Compression.SoftWeightSharing;
using Compression.Training;
using Compression.Tests.Data;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.SoftWeightSharing;

public class MeanFineTuningTests
{
    static (QuantizedNetwork Network, IDataset Train) Setup()
    {
        Devices.Seed(2, threads: 1);
        var arch = new LeNet300100();
        var train = TestData.MnistSubset(1024, 1024);
        var pre = Pretrainer.Run(arch, train, new PretrainSettings { Steps = 100, BatchSize = 64 }, seed: 2, CPU);
        // a coarse codebook (zero and +-0.03, +-0.06, +-0.1) that snapping loses accuracy to; biases stay float32
        double[] means = [0, -0.1, -0.06, -0.03, 0.03, 0.06, 0.1];
        var mixture = new MixtureState(means, means.Select(_ => Math.Log(1 / (0.02 * 0.02))).ToArray(), means.Select(_ => Math.Log(1.0 / means.Length)).ToArray());
        return (PostProcessing.Quantize(pre.Network, mixture, biasesInPrior: false), train);
    }

    static double TrainingLoss(QuantizedNetwork q, IDataset train)
    {
        using (NewDisposeScope())
        {
            var (x, y) = train.Train(Enumerable.Range(0, train.TrainCount).Select(i => (long)i).ToArray(), CPU);
            return F.cross_entropy(q.Network().Logits(x), y).item<float>();
        }
    }

    [Fact]
    public void MeansMoveAssignmentsAndZerosStayAndTheLossFalls()
    {
        var (q, train) = Setup();
        {
            var settings = new MeanFineTuningSettings { Steps = 80, BatchSize = 64, LearningRate = 1e-3 };
            var tuned = MeanFineTuning.Run(q, train, settings, seed: 5, CPU).Network;

            Assert.Equal(0f, tuned.Codebook[0]);
            Assert.Equal(q.Codebook.Length, tuned.Codebook.Length);
            Assert.Contains(Enumerable.Range(1, q.Codebook.Length - 1), c => tuned.Codebook[c] != q.Codebook[c]);
            for (int i = 0; i < q.Assignments.Count; i++)
            {
                if (q.Assignments[i] is { } a)
                {
                    Assert.Equal(a, tuned.Assignments[i]);
                    var values = tuned.Values(i);
                    for (int k = 0; k < a.Length; k++) if (a[k] == 0) Assert.Equal(0, BitConverter.SingleToInt32Bits(values[k]));
                }
                else Assert.NotEqual(q.Floats[i], tuned.Floats[i]); // float32 tensors (here the biases) are trained too
            }
            Assert.Equal(tuned.Codebook.Select(m => (double)m), tuned.Mixture.Means);
            Assert.Equal(q.Mixture.LogProportions, tuned.Mixture.LogProportions);
            Assert.Equal(q.NonzeroFraction(), tuned.NonzeroFraction());

            double before = TrainingLoss(q, train), after = TrainingLoss(tuned, train);
            Console.WriteLine($"training cross-entropy {before:F4} -> {after:F4}; means {string.Join(" ", q.Codebook.Zip(tuned.Codebook, (x, y) => $"{x:F3}->{y:F3}"))}");
            Assert.True(after < 0.9 * before, $"training cross-entropy {before:F4} -> {after:F4}");

            // a seed in, the same bytes out; zero steps change nothing
            Devices.Seed(2, threads: 1);
            var again = MeanFineTuning.Run(q, train, settings, seed: 5, CPU).Network;
            Assert.Equal(tuned.Codebook, again.Codebook);
            Assert.Same(q, MeanFineTuning.Run(q, train, settings with { Steps = 0 }, seed: 5, CPU).Network);
        }
    }

    [Fact]
    public void ACodebookWithoutTheZeroComponentFirstIsRefused()
    {
        var arch = new LeNet300100();
        var assignments = arch.Parameters.Select(p => (int[]?)new int[p.Count]).ToList();
        var floats = arch.Parameters.Select(_ => (float[]?)null).ToList();
        var mixture = new MixtureState([0.5], [0.0], [0.0]);
        var q = new QuantizedNetwork(arch, [0.5f], assignments, floats, mixture, []);
        Assert.Throws<ArgumentException>(() => MeanFineTuning.Run(q, TestData.MnistSubset(4, 4), new MeanFineTuningSettings { Steps = 1 }, seed: 1, CPU));
    }
}
