// The one-call entry point at the smoke budget (with a validation set held out): a file, summary.json and
// history.json that agree.
using Compression.Data;
using Compression.Format;
using Compression.Models;
using Compression.Reporting;
using Compression.SoftWeightSharing;
using Compression.Training;
using Datasets;

namespace Compression.Tests.SoftWeightSharing;

public class SwsExperimentTests
{
    [Fact]
    public void SmokeRunWritesAFileThatDecodesToTheReportedError()
    {
        var dataDir = DataDirectory.Default();
        Assert.True(File.Exists(Path.Combine(dataDir, "mnist", "t10k-images-idx3-ubyte")), $"MNIST not found under {dataDir}");
        var output = Directory.CreateTempSubdirectory("sws-smoke").FullName;
        var settings = SwsSettings.For("lenet300-100", "smoke") with
        {
            Threads = 1,
            ValidationCount = 248,
            CheckpointDirectory = Path.Combine(output, "checkpoints"),
        };
        var log = new StringWriter();
        var result = SwsExperiment.Run(settings, dataDir, output, log);

        var summary = RunSummary.Read(output);
        var file = Path.Combine(output, summary.CompressedFile);
        Assert.Equal("sws", summary.Method);
        Assert.Equal("lenet300-100", summary.Model);
        Assert.Equal(new FileInfo(file).Length, summary.CompressedBytes);
        Assert.Equal(summary.CompressedBytes, summary.SizeBreakdown.Sum(p => p.Bytes));
        Assert.Equal(1_066_440, summary.UncompressedBytes);
        Assert.InRange(summary.Extra["nonzero_fraction"], 0.0, 1.0);
        Assert.True(summary.Extra["paper_style_bytes"] > 0);
        Assert.Equal(248, summary.Extra["validation_examples"]);
        Assert.InRange(summary.Extra["validation_error"], 0.0, 1.0);
        Assert.Contains("1800 training images (248 more held out for validation)", log.ToString());
        Assert.Equal(settings.FineTuning.Steps, summary.Extra["fine_tune_steps"]);
        Assert.InRange(summary.Extra["fine_tuned_error"], 0.0, 1.0);
        Assert.True(File.Exists(Path.Combine(output, "history.json")));
        var history = RetrainingHistory.Read(Path.Combine(output, "history.json"));
        Assert.Equal(result.History.Snapshots.Count, history.Snapshots.Count);
        Assert.NotEmpty(history.Pretraining);

        // decoding the file independently gives the reported error
        var arch = new LeNet300100();
        var model = CompressedModelFile.Read(file);
        var parameters = SwsCodec.Decompress(model, arch);
        using var test = MnistTensors.Load(dataDir, train: false);
        Assert.Equal(summary.TestError, Evaluation.Error(x => arch.Forward(x, parameters), test));

        // a second run finds both checkpoints and trains nothing
        var again = SwsExperiment.Run(settings, dataDir, output, new StringWriter());
        Assert.Equal(summary.CompressedBytes, again.Summary.CompressedBytes);
        Assert.Equal(summary.TestError, again.Summary.TestError);
    }
}
