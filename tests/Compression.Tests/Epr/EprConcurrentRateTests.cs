// The rate term on a second thread (EprOptions.ConcurrentRate) is a schedule of the same arithmetic, not another
// method: a run gives the same variables, averages and curve, bit for bit, as the sequential run with the same seed,
// on LeNet300-100 (three groups, one of them nearly all latents) and LeNet5-Caffe (four groups).
using Compression.Epr;
using Compression.Models;
using Compression.Probability;
using Compression.Tests.Data;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class EprConcurrentRateTests
{
    public static TheoryData<string> Models => new() { "lenet300-100", "lenet5-caffe" };

    [Theory]
    [MemberData(nameof(Models))]
    public void ConcurrentRateGivesTheSequentialRunBitForBit(string model)
    {
        var options = EprOptions.For("smoke") with { Steps = 40, LogEvery = 5, EvaluateEvery = 20, TrainLimit = 600, EvaluationLimit = 100 };
        var data = TestData.MnistSubset(600, 100);
        var architecture = Architectures.Create(model);

        using var sequential = EprTrainer.Train(architecture, data, options, CPU);
        using var concurrent = EprTrainer.Train(architecture, data, options with { ConcurrentRate = true }, CPU);

        var a = sequential.Network.AllVariables;
        var b = concurrent.Network.AllVariables;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].detach().contiguous().bytes.SequenceEqual(b[i].detach().contiguous().bytes), $"variable {i} differs with the rate on a second thread");
        Assert.Equal(sequential.History.ToCsv(), concurrent.History.ToCsv());
        // the run moved: the comparison is not between two untouched initialisations
        Assert.NotEqual(sequential.History.Rows[0].RateBits, sequential.History.Rows[^1].RateBits);
    }

    [Fact]
    public void ConcurrentRateRefusesTheTensorOpRate()
    {
        var architecture = Architectures.Create("lenet300-100");
        using var network = ReparameterizedNetwork.Create(Compression.Grouping.GroupingRules.EprMnist().For(architecture), architecture.NewNetwork(CPU), device: CPU);
        var options = EprOptions.For("smoke") with { ConcurrentRate = true, Rate = RateEvaluation.Interpolated };
        var e = Assert.Throws<ArgumentException>(() => new EprStep(network, options, 1.0 / 60000));
        Assert.Contains("fused", e.Message);
    }
}
