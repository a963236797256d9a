// Resumability: the batch order depends only on seed and step; checkpoints restore tensors and optimizers.
using Compression.Data;
using Compression.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.Training;

public class SamplerAndCheckpointTests
{
    [Fact]
    public void BatchOrderDependsOnlyOnSeedAndStep()
    {
        var a = new BatchSampler(1000, 128, seed: 3);
        var b = new BatchSampler(1000, 128, seed: 3);
        Assert.Equal(a.IndicesAt(17), b.IndicesAt(17));
        Assert.Equal(a.IndicesAt(0), new BatchSampler(1000, 128, 3).IndicesAt(0));
        Assert.NotEqual(a.IndicesAt(0), new BatchSampler(1000, 128, 4).IndicesAt(0));
        // one epoch covers distinct examples
        var epoch = Enumerable.Range(0, a.BatchesPerEpoch).SelectMany(s => a.IndicesAt(s)).ToArray();
        Assert.Equal(epoch.Length, epoch.Distinct().Count());
        Assert.NotEqual(a.IndicesAt(0), a.IndicesAt(a.BatchesPerEpoch));
    }

    [Fact]
    public void CheckpointRestoresTensorsAndOptimizerState()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ckpt").FullName, "run.ckpt");
        torch.manual_seed(1);
        var w = new TorchSharp.Modules.Parameter(randn(5, 3));
        var opt = optim.Adam([w], lr: 0.1);
        for (int i = 0; i < 3; i++) { opt.zero_grad(); w.square().sum().backward(); opt.step(); }
        Checkpoint.Save(path, 3, "{\"note\":1}", [w], [opt]);
        var expected = w.detach().clone();
        // continue one step from the original
        opt.zero_grad(); w.square().sum().backward(); opt.step();
        var oneMore = w.detach().clone();

        var w2 = new TorchSharp.Modules.Parameter(zeros(5, 3));
        var opt2 = optim.Adam([w2], lr: 0.1);
        var state = Checkpoint.TryLoad(path, [w2], [opt2]);
        Assert.NotNull(state);
        Assert.Equal(3, state!.Step);
        Assert.Equal("{\"note\":1}", state.Note);
        Assert.True(w2.detach().allclose(expected, rtol: 0, atol: 0));
        opt2.zero_grad(); w2.square().sum().backward(); opt2.step();
        Assert.True(w2.detach().allclose(oneMore, rtol: 0, atol: 1e-7), "a resumed step equals the uninterrupted one");
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void CorruptCheckpointGivesAClearError()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ckpt").FullName, "bad.ckpt");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.TryLoad(path, [zeros(2)], []));
        Assert.Contains("unusable checkpoint", e.Message);
        Assert.Null(Checkpoint.TryLoad(path + ".missing", [zeros(2)], []));
    }
}
