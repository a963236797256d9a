// A smoke-budget EPR run on real MNIST (2,000 training images, 300 steps): the rate term falls, the file is
// written and read back, and the decoded network classifies far above chance.
using Compression.Epr;
using Compression.Reporting;
using Compression.Training;
using Datasets;

namespace Compression.Tests.Epr;

public class EprSmokeTests
{
    [Fact]
    public void SmokeRunCompressesAndClassifies()
    {
        string data = DataDirectory.Default();
        Assert.True(File.Exists(Path.Combine(data, "mnist", "train-images-idx3-ubyte")), $"MNIST missing under {data} (run `make data` or set REPRO_DATA)");
        string output = Path.Combine(Path.GetTempPath(), $"epr-smoke-{Environment.ProcessId}");
        try
        {
            var settings = EprSettings.For("lenet300-100", "smoke");
            var log = new StringWriter();
            var outcome = EprExperiment.Run(settings, data, output, log, checkpointDir: Path.Combine(output, "checkpoints"));
            var rows = outcome.History.Rows;
            Assert.True(rows[^1].RateBits < 0.97 * rows[0].RateBits, $"rate went from {rows[0].RateBits} to {rows[^1].RateBits} bits");
            Assert.True(outcome.Summary.TestError < 0.5, $"decoded test error {outcome.Summary.TestError}");
            Assert.Equal(new FileInfo(outcome.CompressedPath).Length, outcome.Summary.CompressedBytes);
            Assert.Equal(outcome.Summary.CompressedBytes, outcome.Summary.SizeBreakdown.Sum(p => p.Bytes));
            var verified = Verification.Verify(output, data);
            Assert.True(verified.Ok, verified.Problem);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
