// The training file's tensors and the validation split taken from its end.
using Compression.Data;
using Datasets;

namespace Compression.Tests.Data;

public class MnistTensorsTests
{
    [Fact]
    public void SplitLastHoldsOutTheLastExamplesAndKeepsTheRest()
    {
        var dataDir = DataDirectory.Default();
        Assert.True(File.Exists(Path.Combine(dataDir, "mnist", "train-images-idx3-ubyte")), $"MNIST not found under {dataDir}");
        using var all = MnistTensors.Load(dataDir, train: true, limit: 100);
        var (kept, held) = all.SplitLast(10);
        using (kept)
        using (held)
        {
            Assert.Equal(90, kept.Count);
            Assert.Equal(10, held.Count);
            Assert.Equal(all.Labels.data<long>().ToArray(), kept.Labels.data<long>().Concat(held.Labels.data<long>()).ToArray());
            Assert.Equal(all.Images[95].data<float>().ToArray(), held.Images[5].data<float>().ToArray());
            Assert.Equal(all.Images[89].data<float>().ToArray(), kept.Images[89].data<float>().ToArray());
            Assert.Equal([10L, 1, 28, 28], held.Images.shape);
        }
        Assert.Equal(100, all.Count); // unchanged, still usable
        Assert.Throws<ArgumentOutOfRangeException>(() => all.SplitLast(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => all.SplitLast(100));
    }
}
