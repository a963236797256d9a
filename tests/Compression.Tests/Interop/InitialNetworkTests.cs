// A network trained elsewhere is where a method starts: the committed EPR LeNet300-100 file (1.75% test error) is
// decompressed into a torch.save file, imported, and given to EPR and to soft weight-sharing as MethodContext.Initial /
// ExperimentOptions.Initial. Twenty EPR steps from it keep a working network where twenty steps from scratch do not;
// soft weight-sharing skips pretraining and reports the imported network's own error as its reference.
using Compression.Epr;
using Compression.Interop;
using Compression.Methods;
using Compression.Models;
using Compression.Runs;
using Compression.SoftWeightSharing;
using Compression.Tests.Data;
using Compression.Tests.Format;
using Compression.Training;
using Xunit.Abstractions;

namespace Compression.Tests.Interop;

public class InitialNetworkTests(ITestOutputHelper output)
{
    const int Evaluated = 2000;

    static NetworkValues Imported(out double error)
    {
        var source = Path.Combine(CommittedFiles.Root, "results", "epr-lenet300-100", "lenet300-100.epr");
        var pt = InteropSamples.TempPath("trained-elsewhere.pt");
        var done = WeightsFile.Decompress(source, pt);
        Assert.Equal(("epr", "lenet300-100", WeightsFormat.PyTorch, 6), (done.Method, done.Architecture, done.Format, done.Tensors));
        var values = WeightsFile.Import(pt, new LeNet300100());
        error = Evaluation.Error(values, TestData.Mnist, Evaluated);
        Assert.True(error < 0.03, $"the committed network's error on {Evaluated} test images: {error:P2}");
        return values;
    }

    [Fact]
    public void EprStartsFromTheImportedNetwork()
    {
        using var start = Imported(out double startError);
        // a few steps at the smoke schedule, latents initialised on a fine grid (50 steps per RMS) so that the start survives rounding
        var options = EprOptions.For("smoke") with { Steps = 20, EvaluateEvery = 20, Initialization = new LatentInitialization(StepsPerRms: 50) };
        var architecture = new LeNet300100();
        double Run(NetworkValues? initial)
        {
            using var result = new EprMethod(options).Compress(architecture, TestData.Mnist, new MethodContext { Initial = initial });
            return Evaluation.Error(result.Decoded, TestData.Mnist, Evaluated);
        }
        double fromImport = Run(start), fromScratch = Run(null);
        output.WriteLine($"imported {startError:P2}; 20 EPR steps from it {fromImport:P2}, from scratch {fromScratch:P2} ({Evaluated} test images)");
        Assert.True(fromImport < startError + 0.02, $"20 EPR steps from the imported network ({startError:P2}): {fromImport:P2}");
        Assert.True(fromScratch > 0.2, $"20 EPR steps from scratch: {fromScratch:P2}");
    }

    [Fact]
    public void SoftWeightSharingStartsFromTheImportedNetworkWithoutPretraining()
    {
        using var start = Imported(out _);
        var architecture = new LeNet300100();
        var settings = SwsSettings.For(architecture, "smoke") with { Threads = 1, Retrain = SwsSettings.For(architecture, "smoke").Retrain with { Steps = 20 } };
        var folder = Directory.CreateTempSubdirectory("sws-initial").FullName;
        try
        {
            var log = new StringWriter();
            using var outcome = Experiment.Run(new SoftWeightSharingMethod(settings), architecture, TestData.Mnist, folder,
                new ExperimentOptions { Initial = start, Progress = log });
            output.WriteLine($"soft weight-sharing from the imported network: reference {outcome.Summary.Extra["pretrained_error"]:P2}, retrained {outcome.Summary.Extra["retrained_error"]:P2}, file {outcome.Summary.TestError:P2}");
            Assert.Equal(0, outcome.Summary.Extra["pretrain_steps"]);
            Assert.Equal(Evaluation.Error(start, TestData.Mnist), outcome.Summary.Extra["pretrained_error"]);
            Assert.Contains("starting from the given network", log.ToString());
            Assert.True(outcome.Summary.Extra["retrained_error"] < 0.05, $"retrained from the imported network: {outcome.Summary.Extra["retrained_error"]:P2}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
