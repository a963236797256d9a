// MIRACLE at the smoke budget through the experiment runner, on a small network the library has never seen: a file
// that decodes (by the registered decoder) bit for bit to what the encoder froze, a summary whose sizes add up and
// hold the paper's count, the curves for the notebooks, and the same bytes again from the same seed.
using Compression.Format;
using Compression.Methods;
using Compression.Miracle;
using Compression.Runs;
using Compression.Tests.Data;
using Compression.Tests.OpenCore;

namespace Compression.Tests.Miracle;

public class MiracleExperimentTests
{
    static MiracleOptions Smoke(Compression.Models.Architecture arch) => MiracleOptions.For("smoke", arch) with
    {
        VariationalSteps = 120, RetrainSteps = 1, BitsPerBlock = 8, BlockSize = 16, Shrink = new Dictionary<string, double> { ["in.weight"] = 16 },
        EvaluationLimit = 500, SnapshotEvery = 40,
    };

    [Fact]
    public void SmokeRunRoundTripsThroughTheFileBitForBitAndRepeats()
    {
        var output = Directory.CreateTempSubdirectory("miracle-smoke").FullName;
        try
        {
            var arch = new RandomMlp(3);
            var options = Smoke(arch);
            var method = new MiracleMethod(options);
            var data = TestData.MnistSubset(2000, 1000);
            var log = new StringWriter();
            byte[] first;
            using (var outcome = Experiment.Run(method, arch, data, output, new ExperimentOptions { Progress = log }))
            {
                var summary = RunSummary.Read(output);
                var file = Path.Combine(output, summary.CompressedFile);
                first = File.ReadAllBytes(file);
                Assert.Equal("miracle", summary.Method);
                Assert.Equal(first.Length, summary.CompressedBytes);
                Assert.Equal(summary.CompressedBytes, summary.SizeBreakdown.Sum(p => p.Bytes));
                var details = (MiracleDetails)outcome.Result.Details!;
                Assert.Equal(details.Code.BlockCount * options.BitsPerBlock / 8.0, summary.Extra["paper_counted_bytes"]);
                Assert.Equal((long)Math.Ceiling(details.Code.PaperCountedBytes),
                    summary.SizeBreakdown.Where(p => p.Part == Compression.Format.SizePart.RawPayload && p.Group == MiracleCodec.IndicesPayload).Sum(p => p.Bytes));
                Assert.Equal(details.Code.BlockCount, details.History.Coding.Count);
                Assert.NotEmpty(details.History.Snapshots);
                Assert.Equal(details.Code.BlockCount, details.History.Snapshots[^1].BlockKlBits.Length);
                Assert.True(File.Exists(Path.Combine(output, "coding.csv")) && File.Exists(Path.Combine(output, "block_kl.json")));

                // the registered decoder, from the file alone, gives the encoder's network and the reported error
                using var decoded = CompressionMethods.Decode(CompressedModelFile.Read(file), arch);
                Assert.True(decoded.BitwiseEquals(outcome.Result.Decoded, out var difference), difference);
                Assert.Equal(summary.TestError, Compression.Training.Evaluation.Error(decoded, data));
                Assert.True(summary.TestError < 0.9, $"error {summary.TestError:P1}: no better than chance");
                Assert.Contains("coding", log.ToString());
            }
            // the same seed: the same file
            using var again = method.Compress(arch, data, new MethodContext());
            Assert.Equal(first, again.Model.ToBytes());
        }
        finally { Directory.Delete(output, recursive: true); }
    }
}
