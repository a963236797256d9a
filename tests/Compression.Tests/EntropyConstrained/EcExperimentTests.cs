// Entropy-constrained training at the smoke budget through the experiment runner: a verified file whose decoded network
// has the reported error, a history whose relaxed size meets the hard size as the temperature falls, and the same bytes
// from the same seed.
using Compression.EntropyConstrained;
using Compression.Format;
using Compression.Models;
using Compression.Runs;
using Compression.Tests.Data;
using Compression.Training;

namespace Compression.Tests.EntropyConstrained;

public class EcExperimentTests
{
    [Fact]
    public void SmokeRunWritesAFileThatDecodesToTheReportedError()
    {
        var output = Directory.CreateTempSubdirectory("ec-smoke").FullName;
        try
        {
            var arch = new LeNet300100();
            var settings = EcSettings.For(arch, "smoke") with { Threads = 1 };
            using var outcome = Experiment.Run(new EntropyConstrainedMethod(settings), arch, TestData.Mnist, output, new ExperimentOptions { Progress = TextWriter.Null });
            var details = (EcDetails)outcome.Result.Details!;
            var summary = RunSummary.Read(output);
            var file = Path.Combine(output, summary.CompressedFile);
            Assert.Equal("ec", summary.Method);
            Assert.Equal(new FileInfo(file).Length, summary.CompressedBytes);
            Assert.Equal(summary.CompressedBytes, summary.SizeBreakdown.Sum(p => p.Bytes));
            Assert.Equal(settings.Train.Steps, summary.Iterations);

            // the size term did its work: the hard network is smaller than 2 bits a weight and has zeros
            Assert.True(summary.CompressedBytes * 8 < 2 * arch.ParameterCount, $"{summary.CompressedBytes} B");
            Assert.InRange(summary.Extra["nonzero_fraction"], 0.01, 0.9);
            // and the coded size is the entropy the training saw at T -> 0, plus tables, codebooks and headers
            long bitstreams = outcome.Model.Groups.Sum(g => (long)g.Bitstream.Length);
            Assert.InRange(bitstreams, details.Quantized.EntropyBits() / 8 - 1, details.Quantized.EntropyBits() / 8 * 1.01 + 8);

            // history: relaxed and hard sizes meet as the temperature falls; hardness goes to 1
            var history = EcHistory.FromCsv(File.ReadAllText(Path.Combine(output, "history.csv")));
            Assert.Equal(details.History.Records.Count, history.Records.Count);
            Assert.Equal(settings.Train.Steps / settings.Train.TestEvery, history.Records.Count(r => r.TestError is double));
            var first = history.Records[0];
            var last = history.Records[^1];
            Assert.True(last.Temperature < first.Temperature);
            Assert.True(last.Hardness > 0.99 && first.Hardness < last.Hardness, $"hardness {first.Hardness} -> {last.Hardness}");
            Assert.True(Math.Abs(last.RelaxedBits - last.HardBits) < 0.01 * last.HardBits, $"relaxed {last.RelaxedBits}, hard {last.HardBits}");
            Assert.True(last.HardBits < first.HardBits, "the size should fall during training");

            // decoding the file independently gives the reported error
            using var decoded = EcCodec.Decode(CompressedModelFile.Read(file), arch);
            Assert.Equal(summary.TestError, Evaluation.Error(decoded, TestData.Mnist));
            Assert.True(summary.TestError < 0.2, $"smoke network error {summary.TestError:P1}");
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    [Fact]
    public void SameSeedGivesTheSameFile()
    {
        var arch = new LeNet300100();
        var settings = EcSettings.For(arch, "smoke") with
        {
            Threads = 1, TrainLimit = 512,
            Pretrain = new Compression.SoftWeightSharing.PretrainSettings { Steps = 40 },
            Train = EcSettings.For(arch, "smoke").Train with { Steps = 15, TestEvery = 1000 },
        };
        byte[] Run(EcSettings s)
        {
            using var result = new EntropyConstrainedMethod(s).Compress(arch, TestData.Mnist, new Compression.Methods.MethodContext());
            return CompressedModelFile.ToBytes(result.Model);
        }
        var a = Run(settings);
        Assert.Equal(a, Run(settings));
        Assert.NotEqual(a, Run(settings with { Seed = 2 }));
    }
}
