// Entropy-constrained training on the vision path: a narrow VGG-16 (batch norm, 13 convolutions, 3 dense layers) on
// synthetic CIFAR-10 files in the real format, through the experiment runner. A smoke check of the method on any
// Architecture: every weight tensor gets a codebook, the batch-norm statistics travel as state, the file decodes bit
// for bit (Experiment.Run verifies it) and the size term shrinks the network below float32.
using Compression.Data;
using Compression.EntropyConstrained;
using Compression.Format;
using Compression.Models;
using Compression.Runs;
using Compression.SoftWeightSharing;

namespace Compression.Tests.EntropyConstrained;

public class EcVisionTests
{
    [Fact]
    public void NarrowVggOnSyntheticCifarCompressesAndDecodesBitExactly()
    {
        var synthetic = Directory.CreateTempSubdirectory("ec-synthetic-cifar").FullName;
        var dir = Directory.CreateTempSubdirectory("ec-vgg").FullName;
        try
        {
            SyntheticCifar10.Write(synthetic, perTrainFile: 40, test: 100, seed: 4);
            using var data = Cifar10.Load(synthetic);
            var architecture = new Vgg16Cifar(widthDivisor: 16);
            var settings = EcSettings.For(architecture, "smoke") with
            {
                Threads = 1,
                Pretrain = new PretrainSettings { Steps = 30, BatchSize = 16 },
                Train = EcSettings.For(architecture, "smoke").Train with { Steps = 20, BatchSize = 16, HistoryEvery = 5, TestEvery = 20, HistoryTestLimit = 50, Lambda = 0.05 },
            };
            using var outcome = Experiment.Run(new EntropyConstrainedMethod(settings), architecture, data, dir, new ExperimentOptions { Progress = TextWriter.Null });
            var model = CompressedModelFile.Read(outcome.CompressedPath);
            int weights = architecture.Parameters.Count(p => p.Role == ParameterRole.Weight);
            Assert.Equal(weights + 1, model.Groups.Count);   // a codebook per weight tensor, one for the biases and shifts
            Assert.Equal(architecture.State.Count, model.SideTensors.Count(t => t.Kind == SideTensorKind.State));
            Assert.Equal(0, model.SideTensors.Count(t => t.Kind == SideTensorKind.Parameter));
            // under 8 bits a parameter after 20 steps (measured: 31 kB of 241 kB), and the size fell while training
            Assert.True(outcome.Summary.CompressedBytes * 4 < architecture.UncompressedBytes, $"{outcome.Summary.CompressedBytes} B of {architecture.UncompressedBytes}");
            var history = ((EcDetails)outcome.Result.Details!).History.Records;
            Assert.True(history[^1].HardBits < history[0].HardBits, $"hard size {history[0].HardBits} -> {history[^1].HardBits} bits");
            Assert.Equal("ec", outcome.Summary.Method);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(synthetic, recursive: true);
        }
    }
}
