// A run resumed from its checkpoint ends exactly where an uninterrupted run ends: same variables, same
// averages, same curve (every step draws its noise from its own seed; the batch order is step-indexed).
using Compression.Data;
using Compression.Training;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class EprResumeTests
{
    [Fact]
    public void ResumedRunMatchesUninterruptedRun()
    {
        string data = DataDirectory.Default();
        Assert.True(File.Exists(Path.Combine(data, "mnist", "train-images-idx3-ubyte")), $"MNIST missing under {data} (run `make data` or set REPRO_DATA)");
        string dir = Path.Combine(Path.GetTempPath(), $"epr-resume-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var settings = EprSettings.For("lenet300-100", "smoke") with { Steps = 60, CheckpointEvery = 30, LogEvery = 10, EvaluateEvery = 30, TrainLimit = 1000, TestLimit = 200 };
            using var train = MnistTensors.Load(data, train: true, limit: 1000);
            using var test = MnistTensors.Load(data, train: false, limit: 200);

            using var straight = EprTrainer.Train(settings, train, test, checkpointPath: null, log: TextWriter.Null);

            // The first attempt stops after its checkpoint at step 30 (a shorter schedule would change the
            // fingerprint, so run the full one and discard everything but the checkpoint it left).
            string checkpoint = Path.Combine(dir, "run.ckpt");
            using (EprTrainer.Train(settings, train, test, checkpoint, TextWriter.Null)) { }
            Assert.True(File.Exists(checkpoint));
            var log = new StringWriter();
            using var resumed = EprTrainer.Train(settings, train, test, checkpoint, log);
            Assert.Contains("resumed", log.ToString());

            var a = straight.Network.AllVariables;
            var b = resumed.Network.AllVariables;
            for (int i = 0; i < a.Count; i++)
                Assert.True(a[i].detach().contiguous().bytes.SequenceEqual(b[i].detach().contiguous().bytes), $"variable {i} differs after resuming");
            Assert.Equal(straight.History.ToCsv(), resumed.History.ToCsv());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
