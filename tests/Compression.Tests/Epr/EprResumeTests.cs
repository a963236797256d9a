// A run resumed from its checkpoint ends exactly where an uninterrupted run ends: same variables, same
// averages, same curve (every step draws its noise from its own seed; the batch order is step-indexed). Another
// lambda is another run: it gets a checkpoint of its own instead of resuming this one.
using Compression.Epr;
using Compression.Models;
using Compression.Tests.Data;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class EprResumeTests
{
    [Fact]
    public void ResumedRunMatchesUninterruptedRun()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"epr-resume-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var options = EprOptions.For("smoke") with { Steps = 60, CheckpointEvery = 30, LogEvery = 10, EvaluateEvery = 30, TrainLimit = 1000, EvaluationLimit = 200 };
            var data = TestData.MnistSubset(1000, 200);
            var architecture = new LeNet300100();

            using var straight = EprTrainer.Train(architecture, data, options, CPU);

            // The first attempt stops after its checkpoint at step 30 (a shorter schedule would change the
            // fingerprint, so run the full one and discard everything but the checkpoint it left).
            using (EprTrainer.Train(architecture, data, options, CPU, dir)) { }
            var checkpoints = Directory.GetFiles(dir, "*.ckpt");
            Assert.Single(checkpoints);
            var log = new StringWriter();
            using var resumed = EprTrainer.Train(architecture, data, options, CPU, dir, log);
            Assert.Contains("resumed at step 30", log.ToString());

            var a = straight.Network.AllVariables;
            var b = resumed.Network.AllVariables;
            for (int i = 0; i < a.Count; i++)
                Assert.True(a[i].detach().contiguous().bytes.SequenceEqual(b[i].detach().contiguous().bytes), $"variable {i} differs after resuming");
            Assert.Equal(straight.History.ToCsv(), resumed.History.ToCsv());

            // another knob: a fresh run with its own checkpoint, not a resumed (or refused) one
            var other = new StringWriter();
            using (EprTrainer.Train(architecture, data, options with { Lambda = 2 }, CPU, dir, other)) { }
            Assert.DoesNotContain("resumed", other.ToString());
            Assert.Equal(2, Directory.GetFiles(dir, "*.ckpt").Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
