// EPR on the vision path end to end, on synthetic CIFAR-10 files in the real format: a smoke run learns (the decoded
// network's error falls far below chance) and its file decodes bit for bit (Experiment.Run checks it); a run with the
// paper's optimizer (SGD with momentum, a milestone), batch-norm state and the prefetching loader, interrupted and
// resumed, ends exactly where an uninterrupted run ends.
using Compression.Data;
using Compression.Epr;
using Compression.Grouping;
using Compression.Models;
using Compression.Runs;
using static TorchSharp.torch;

namespace Compression.Tests.Vision;

public class VisionTrainingTests
{
    static readonly Lazy<string> Synthetic = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("synthetic-cifar").FullName;
        SyntheticCifar10.Write(dir, perTrainFile: 100, test: 200, seed: 2);
        return dir;
    });

    [Fact]
    public void SyntheticCifarIsLearntAndTheFileDecodesBitExactly()
    {
        using var data = Cifar10.Load(Synthetic.Value);
        var architecture = new ResNetCifar(20, 1);
        var options = EprVisionBudgets.Cifar10("smoke", architecture, TransformKind.Dft) with { Steps = 40, BatchSize = 16, EvaluateEvery = 40 };
        var dir = Directory.CreateTempSubdirectory("vision-run").FullName;
        try
        {
            using var outcome = Experiment.Run(new EprMethod(options), architecture, data, dir, new ExperimentOptions { Device = CPU, Progress = TextWriter.Null });
            Assert.True(outcome.Summary.TestError < 0.5, $"decoded error {outcome.Summary.TestError:P1} after 40 steps (chance: 90%)");
            Assert.Equal(new FileInfo(outcome.CompressedPath).Length, outcome.Summary.CompressedBytes);
            Assert.Equal("cifar10-synthetic", outcome.Summary.Dataset);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ResumedSgdRunWithBatchNormAndPrefetchingMatchesAnUninterruptedOne()
    {
        using var data = Cifar10.Load(Synthetic.Value);
        var architecture = new ResNetCifar(20, 1);
        var options = EprVisionBudgets.Cifar10("smoke", architecture, TransformKind.Dft) with
        {
            Steps = 6, BatchSize = 8, CheckpointEvery = 3, EvaluateEvery = 3, EvaluationLimit = 40, LogEvery = 1,
            Optimizer = EprOptimizer.SgdMomentum, LearningRates = EprVisionBudgets.SgdRates(), Milestones = [4], MilestoneFactor = 0.2, DecayFraction = 0,
        };
        var dir = Directory.CreateTempSubdirectory("vision-resume").FullName;
        try
        {
            using var straight = EprTrainer.Train(architecture, data, options, CPU);
            using (EprTrainer.Train(architecture, data, options, CPU, dir)) { }   // leaves its checkpoint at step 3
            var log = new StringWriter();
            using var loader = new PrefetchingLoader(data, depth: 2);
            using var resumed = EprTrainer.Train(architecture, loader, options, CPU, dir, log);
            Assert.Contains("resumed at step 3", log.ToString());
            Assert.True(loader.Ready + loader.Waited == 3, "the resumed run's batches came through the loader");
            var a = straight.Network.AllVariables.Cast<Tensor>().Concat(straight.Network.State).ToList();
            var b = resumed.Network.AllVariables.Cast<Tensor>().Concat(resumed.Network.State).ToList();
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
                Assert.True(a[i].detach().contiguous().bytes.SequenceEqual(b[i].detach().contiguous().bytes), $"tensor {i} of {a.Count} differs after resuming");
            Assert.Equal(straight.History.ToCsv(), resumed.History.ToCsv());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
