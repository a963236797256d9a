// The open core through its public API only: networks the library has never seen train a few steps, compress,
// and decode bit for bit with EPR and with soft weight-sharing (the runner checks the decoded network against the
// trained one and throws otherwise); running statistics travel in the file as state, counted apart from what the
// papers count; decoding into a mismatched network is a clear error.
using Compression.Data;
using Compression.Epr;
using Compression.Format;
using Compression.Grouping;
using Compression.Methods;
using Compression.Models;
using Compression.Runs;
using Compression.SoftWeightSharing;
using Compression.Tests.Data;

namespace Compression.Tests.OpenCore;

public class OpenCoreTests
{
    public static TheoryData<string> Networks => new() { "mlp", "cnn", "residual" };

    static Architecture Make(string kind) => kind switch
    {
        "mlp" => new RandomMlp(7),
        "cnn" => new RandomCnn(11),
        _ => new TinyResidualNet(),
    };

    static IDataset Data => TestData.MnistSubset(512, 300);

    static string TempDir(string name) => Directory.CreateTempSubdirectory(name).FullName;

    [Theory]
    [MemberData(nameof(Networks))]
    public void EprTrainsCompressesAndDecodesBitForBit(string kind)
    {
        var architecture = Make(kind);
        var options = EprOptions.For("smoke") with
        {
            Steps = 40, LogEvery = 10, EvaluateEvery = 40, TrainLimit = null, EvaluationLimit = 300, Lambda = 0.5,
            Grouping = GroupingRules.Default(),
        };
        var dir = TempDir("open-epr");
        try
        {
            using var outcome = Experiment.Run(new EprMethod(options), architecture, Data, dir, new ExperimentOptions { Progress = TextWriter.Null });
            Assert.Equal(architecture.Id, outcome.Model.Architecture);
            Assert.True(outcome.Summary.TestError < 0.9, $"{architecture.Id}: decoded error {outcome.Summary.TestError:P1} after 40 steps");
            // decoding again through the registry, from the file alone, gives the same network
            using var again = CompressionMethods.Decode(CompressedModelFile.Read(outcome.CompressedPath), architecture);
            Assert.True(again.BitwiseEquals(outcome.Decoded, out var first), first);
            if (architecture.State.Count > 0)
            {
                Assert.All(outcome.Model.SideTensors.Where(s => architecture.HasState(s.Name)), s => Assert.Equal(SideTensorKind.State, s.Kind));
                Assert.Equal(architecture.State.Count, outcome.Model.SideTensors.Count(s => s.Kind == SideTensorKind.State));
                Assert.True(outcome.Sizes.PaperComparableBytes < outcome.Sizes.TotalBytes);
                // the running statistics moved from their initial values during training, and the file carries them
                Assert.NotEqual(architecture.InitialState()[1].data<float>().ToArray(), outcome.Decoded["bn1.running_var"].data<float>().ToArray());
            }
            else Assert.Equal(outcome.Sizes.TotalBytes, outcome.Sizes.PaperComparableBytes);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void SoftWeightSharingTrainsCompressesAndDecodesBitForBit(string kind)
    {
        var architecture = Make(kind);
        var settings = SwsSettings.For(architecture, "smoke") with
        {
            Threads = 1, TrainLimit = null,
            Pretrain = new PretrainSettings { Steps = 60, BatchSize = 64 },
            Retrain = SwsSettings.For(architecture, "smoke").Retrain with { Steps = 30, BatchSize = 64, HistoryEvery = 10, TestEvery = 30 },
            FineTuning = new MeanFineTuningSettings { Steps = 5, BatchSize = 64 },
            MaxAccuracyLoss = 1, // a smoke run: the accuracy guard is tested elsewhere
        };
        var dir = TempDir("open-sws");
        var log = new StringWriter();
        try
        {
            using var outcome = Experiment.Run(new SoftWeightSharingMethod(settings), architecture, Data, dir, new ExperimentOptions { Progress = log });
            using var again = CompressionMethods.Decode(CompressedModelFile.Read(outcome.CompressedPath), architecture);
            Assert.True(again.BitwiseEquals(outcome.Decoded, out var first), first);
            Assert.Equal(architecture.State.Count, outcome.Model.SideTensors.Count(s => s.Kind == SideTensorKind.State));
            // dead-unit pruning only where the architecture declares the links that make it exact (none of these do)
            Assert.Contains("dead units: not pruned", log.ToString());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DecodingIntoAMismatchedNetworkIsAClearError()
    {
        var small = new RandomMlp(7);
        var options = EprOptions.For("smoke") with { Steps = 2, EvaluateEvery = 2, TrainLimit = 256, EvaluationLimit = 50 };
        var result = new EprMethod(options).Compress(small, Data, new MethodContext());
        using (result)
        {
            var bytes = result.Model.ToBytes();
            // another architecture: the file names the one it was made for
            var other = Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(CompressedModel.FromBytes(bytes), new RandomMlp(8)));
            Assert.Contains(small.Id, other.Message);
            // the same id with other shapes: the tensor is named, before any symbol is decoded
            var impostor = new ImpostorMlp(small.Id);
            var shape = Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(CompressedModel.FromBytes(bytes), impostor));
            Assert.Contains("in.weight", shape.Message);
            // a method nobody registered
            var unknown = new CompressedModel { Architecture = small.Id, Method = "nosuch", Groups = result.Model.Groups };
            Assert.Contains("nosuch", Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(unknown, small)).Message);
        }
    }

    /// <summary>Claims another network's id with different shapes.</summary>
    sealed class ImpostorMlp(string id) : Architecture
    {
        public override string Id => id;
        public override IReadOnlyList<ParameterSpec> Parameters { get; } =
        [
            ParameterSpec.DenseWeight("in", 5, 784), ParameterSpec.Bias("in", 5, LayerKind.Dense),
            ParameterSpec.DenseWeight("mid", 5, 5), ParameterSpec.Bias("mid", 5, LayerKind.Dense),
            ParameterSpec.DenseWeight("out", 10, 5), ParameterSpec.Bias("out", 10, LayerKind.Dense),
        ];
        public override TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor x, NetworkValues v, bool training = false) => throw new NotSupportedException();
    }
}
