// Entropy-constrained training interrupted after a checkpoint and started again ends exactly where an uninterrupted
// run ends: the same hard network, centres and history. Another lambda is another run with a checkpoint of its own.
using Compression.Data;
using Compression.EntropyConstrained;
using Compression.Models;
using Compression.Tests.Data;
using Compression.Training;
using static TorchSharp.torch;

namespace Compression.Tests.EntropyConstrained;

public class EcResumeTests
{
    /// <summary>A data set that fails like a crashed process at its <paramref name="failAt"/>-th training batch.</summary>
    sealed class Interrupted(IDataset inner, int failAt) : IDataset
    {
        int batches;
        public string Name => inner.Name;
        public int TrainCount => inner.TrainCount;
        public int TestCount => inner.TestCount;
        public int Classes => inner.Classes;
        public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null) =>
            ++batches == failAt ? throw new OperationCanceledException("interrupted") : inner.Train(indices, device, augmentationSeed);
        public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device) => inner.Test(start, count, device);
        public void Dispose() { }
    }

    [Fact]
    public void ResumedTrainingMatchesUninterruptedTraining()
    {
        string dir = Directory.CreateTempSubdirectory("ec-resume").FullName;
        try
        {
            var arch = new LeNet300100();
            var data = DatasetView.Limit(TestData.Mnist, 512, 300);
            var codebook = new EcCodebookSettings { FreeCentres = 6 };
            var train = new EcTrainSettings { Steps = 30, BatchSize = 64, Lambda = 2, CheckpointEvery = 10, HistoryEvery = 5, TestEvery = 15, HistoryTestLimit = 300 };
            Devices.Seed(3, 1);
            using var reference = arch.NewNetwork();
            string key = Checkpoint.KeyOf(reference);

            var straight = EcTrainer.Run(reference, data, codebook, train, 3, CPU);

            // the first attempt dies in step 17 (its 18th batch), after the checkpoint of step 10
            Assert.Throws<OperationCanceledException>(() => EcTrainer.Run(reference, new Interrupted(data, 18), codebook, train, 3, CPU, null, dir, key));
            Assert.Single(Directory.GetFiles(dir, "*.ckpt"));
            var log = new StringWriter();
            var resumed = EcTrainer.Run(reference, data, codebook, train, 3, CPU, log, dir, key);
            Assert.Contains("resumed at step 10", log.ToString());

            Assert.Equal(straight.History.ToCsv(), resumed.History.ToCsv());
            for (int g = 0; g < straight.Quantized.Groups.Count; g++)
            {
                Assert.Equal(straight.Quantized.Groups[g].Centres, resumed.Quantized.Groups[g].Centres);
                Assert.Equal(straight.Quantized.Groups[g].Assignments, resumed.Quantized.Groups[g].Assignments);
            }
            for (int i = 0; i < straight.Shadow.Parameters.Count; i++)
                Assert.Equal(straight.Shadow.ParameterFloats(i), resumed.Shadow.ParameterFloats(i));

            // another lambda: a fresh training beside it, not a resumed (or refused) one
            var other = new StringWriter();
            EcTrainer.Run(reference, data, codebook, train with { Lambda = 3 }, 3, CPU, other, dir, key).Shadow.Dispose();
            Assert.DoesNotContain("resumed", other.ToString());
            Assert.Equal(2, Directory.GetFiles(dir, "*.ckpt").Length);
            straight.Shadow.Dispose();
            resumed.Shadow.Dispose();
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
