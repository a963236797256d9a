// Soft weight-sharing at the smoke budget through the experiment runner (with a validation set held out): a file,
// summary.json and history.json that agree, and a decoded network whose error is the reported one.
using Compression.Format;
using Compression.Models;
using Compression.Runs;
using Compression.SoftWeightSharing;
using Compression.Tests.Data;
using Compression.Training;

namespace Compression.Tests.SoftWeightSharing;

public class SwsExperimentTests
{
    [Fact]
    public void SmokeRunWritesAFileThatDecodesToTheReportedError()
    {
        var output = Directory.CreateTempSubdirectory("sws-smoke").FullName;
        try
        {
            var arch = new LeNet300100();
            var settings = SwsSettings.For(arch, "smoke") with { Threads = 1, ValidationCount = 248 };
            var log = new StringWriter();
            using var outcome = Experiment.Run(new SoftWeightSharingMethod(settings), arch, TestData.Mnist, output, new ExperimentOptions { Progress = log });
            var details = (SwsDetails)outcome.Result.Details!;

            var summary = RunSummary.Read(output);
            var file = Path.Combine(output, summary.CompressedFile);
            Assert.Equal("sws", summary.Method);
            Assert.Equal("lenet300-100", summary.Model);
            Assert.Equal(new FileInfo(file).Length, summary.CompressedBytes);
            Assert.Equal(summary.CompressedBytes, summary.SizeBreakdown.Sum(p => p.Bytes));
            Assert.Equal(1_066_440, summary.UncompressedBytes);
            Assert.Equal(details.Quantized.NonzeroFraction(), summary.Extra["nonzero_fraction"]);
            Assert.Equal(details.PaperStyle.TotalBytes, summary.Extra["paper_style_bytes"]);
            Assert.Equal(248, summary.Extra["validation_examples"]);
            Assert.Contains("1,800 training examples (248 more held out for validation)", log.ToString());
            Assert.Equal(settings.FineTuning.Steps, summary.Extra["fine_tune_steps"]);
            Assert.Equal(summary.TestError, summary.Extra["fine_tuned_error"]);
            var history = RetrainingHistory.Read(Path.Combine(output, "history.json"));
            Assert.Equal(details.History.Snapshots.Count, history.Snapshots.Count);
            Assert.NotEmpty(history.Pretraining);

            // decoding the file independently gives the reported error, on the held-out images too
            using var decoded = SwsCodec.Decode(CompressedModelFile.Read(file), arch);
            Assert.Equal(summary.TestError, Evaluation.Error(decoded, TestData.Mnist));
            var (_, validation) = Compression.Data.DatasetView.SplitLast(Compression.Data.DatasetView.Limit(TestData.Mnist, 2048, null), 248);
            Assert.Equal(summary.Extra["validation_error"], Evaluation.Error(decoded, validation));
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    [Fact]
    public void PostProcessingThatDestroysTheNetworkIsReportedNotPassedSilently()
    {
        var output = Directory.CreateTempSubdirectory("sws-loss").FullName;
        try
        {
            var arch = new LeNet300100();
            // the tutorial's wide components (std 0.25) with a zero component of proportion 0.9999 and tau 0: retraining
            // does not move the prior, every weight is assigned to the zero component, and the snapped network is at chance
            var settings = SwsSettings.For(arch, "smoke") with
            {
                Threads = 1,
                Prior = new MixturePriorSettings { Components = 2, ZeroProportion = 0.9999 },
                Retrain = SwsSettings.For(arch, "smoke").Retrain with { Tau = 0, Steps = 20 },
                FineTuning = new MeanFineTuningSettings(),
                MaxAccuracyLoss = 0.02,
            };
            using (var outcome = Experiment.Run(new SoftWeightSharingMethod(settings), arch, TestData.Mnist, output, new ExperimentOptions { Progress = TextWriter.Null }))
            {
                Assert.True(outcome.Summary.TestError > 0.5, $"the snapped network should be near chance, got {outcome.Summary.TestError:P1}");
                var warning = Assert.Single(outcome.Summary.Warnings);
                Assert.Contains("post-processing raised the test error", warning);
                Assert.Contains("WARNING", File.ReadAllText(Path.Combine(output, Experiment.LogFile)));
            }
            var strict = settings with { FailOnAccuracyLoss = true };
            var e = Assert.Throws<InvalidOperationException>(() =>
                Experiment.Run(new SoftWeightSharingMethod(strict), arch, TestData.Mnist, output, new ExperimentOptions { Progress = TextWriter.Null }));
            Assert.Contains("post-processing raised the test error", e.Message);
        }
        finally { Directory.Delete(output, recursive: true); }
    }
}
