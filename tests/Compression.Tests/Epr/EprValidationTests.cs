// Choosing lambda on held-out training examples (issue 16): with ValidationCount, EPR trains on the rest of the
// (limited) training set, normalises the rate by that smaller count, and reports the decoded network's error on
// exactly the held-out examples; the test error stays the one on the test set.
using Compression.Data;
using Compression.Epr;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Runs;
using Compression.Tests.Data;
using Compression.Training;

namespace Compression.Tests.Epr;

public class EprValidationTests
{
    [Fact]
    public void HeldOutExamplesAreLeftOutOfTrainingAndGiveTheValidationError()
    {
        string output = Directory.CreateTempSubdirectory("epr-validation").FullName;
        try
        {
            var options = EprOptions.For("smoke") with { Steps = 60, ValidationCount = 500 };
            var log = new StringWriter();
            using var outcome = Experiment.Run(new EprMethod(options), new LeNet300100(), TestData.Mnist, output, new ExperimentOptions { Progress = log });
            var summary = RunSummary.Read(output);

            // 2,000 smoke images less 500 held out
            Assert.Equal(1500, summary.Extra["training_examples"]);
            Assert.Equal(options.Lambda / 1500, summary.Extra["lambda_per_bit_of_mean_loss"]);
            Assert.Equal(500, summary.Extra["validation_examples"]);
            Assert.Contains("1,500 training examples, 500 more held out for validation", log.ToString());

            using var decoded = EprCodec.Decode(CompressedModelFile.Read(Path.Combine(output, summary.CompressedFile)), new LeNet300100());
            var (_, validation) = DatasetView.SplitLast(DatasetView.Limit(TestData.Mnist, 2000, null), 500);
            Assert.Equal(summary.Extra["validation_error"], Evaluation.Error(decoded, validation));
            Assert.Equal(summary.TestError, Evaluation.Error(decoded, TestData.Mnist));
            Assert.NotEqual(summary.TestError, summary.Extra["validation_error"]);
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    [Fact]
    public void AHeldOutSetAsLargeAsTheTrainingSetIsRefused()
    {
        var options = EprOptions.For("smoke") with { Steps = 1, ValidationCount = 2000 };
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EprMethod(options).Compress(new LeNet300100(), TestData.Mnist, new MethodContext { Log = TextWriter.Null }));
    }
}
