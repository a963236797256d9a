// A smoke-budget EPR run on real MNIST (2,000 training images, 300 steps) through the experiment runner: the rate
// term falls, the file is written and read back, the decoded network classifies far above chance, `verify` agrees,
// the run writes its training.log and removes its checkpoints.
using Compression.Epr;
using Compression.Models;
using Compression.Runs;
using Compression.Tests.Data;

namespace Compression.Tests.Epr;

public class EprSmokeTests
{
    [Fact]
    public void SmokeRunCompressesAndClassifies()
    {
        string output = Path.Combine(Path.GetTempPath(), $"epr-smoke-{Environment.ProcessId}");
        try
        {
            var log = new StringWriter();
            using var outcome = Experiment.Run(new EprMethod(EprOptions.For("smoke")), new LeNet300100(), TestData.Mnist, output, new ExperimentOptions { Progress = log });
            var rows = ((EprDetails)outcome.Result.Details!).History.Rows;
            Assert.True(rows[^1].RateBits < 0.97 * rows[0].RateBits, $"rate went from {rows[0].RateBits} to {rows[^1].RateBits} bits");
            Assert.True(outcome.Summary.TestError < 0.5, $"decoded test error {outcome.Summary.TestError}");
            Assert.Equal(new FileInfo(outcome.CompressedPath).Length, outcome.Summary.CompressedBytes);
            Assert.Equal(outcome.Summary.CompressedBytes, outcome.Summary.SizeBreakdown.Sum(p => p.Bytes));
            Assert.Equal("mnist", outcome.Summary.Dataset);
            var verified = Verification.Verify(output, _ => TestData.Mnist);
            Assert.True(verified.Ok, verified.Problem);
            Assert.Contains("decoded test error", File.ReadAllText(Path.Combine(output, Experiment.LogFile)));
            Assert.False(Directory.Exists(Path.Combine(output, "checkpoints")), "a finished run leaves no checkpoints in its folder");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
