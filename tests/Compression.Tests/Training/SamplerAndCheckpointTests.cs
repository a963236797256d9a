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

    sealed record Note(int Value);

    [Fact]
    public void CheckpointRestoresTensorsAndOptimizerState()
    {
        var dir = Directory.CreateTempSubdirectory("ckpt").FullName;
        var path = Checkpoint.PathFor(dir, "run", "settings A");
        torch.manual_seed(1);
        var w = new TorchSharp.Modules.Parameter(randn(5, 3));
        var opt = optim.Adam([w], lr: 0.1);
        for (int i = 0; i < 3; i++) { opt.zero_grad(); w.square().sum().backward(); opt.step(); }
        new Checkpoint(path, "settings A", [w], [opt]).Save(3, new Note(1));
        var expected = w.detach().clone();
        // continue one step from the original
        opt.zero_grad(); w.square().sum().backward(); opt.step();
        var oneMore = w.detach().clone();

        var w2 = new TorchSharp.Modules.Parameter(zeros(5, 3));
        var opt2 = optim.Adam([w2], lr: 0.1);
        var state = new Checkpoint(path, "settings A", [w2], [opt2]).Resume<Note>();
        Assert.NotNull(state);
        Assert.Equal(3, state!.Value.Step);
        Assert.Equal(new Note(1), state.Value.Note);
        Assert.True(w2.detach().allclose(expected, rtol: 0, atol: 0));
        opt2.zero_grad(); w2.square().sum().backward(); opt2.step();
        Assert.True(w2.detach().allclose(oneMore, rtol: 0, atol: 1e-7), "a resumed step equals the uninterrupted one");
        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind

        // other settings: another file name, and a checkpoint of other settings under this name is refused
        Assert.NotEqual(path, Checkpoint.PathFor(dir, "run", "settings B"));
        var e = Assert.Throws<InvalidDataException>(() => new Checkpoint(path, "settings B", [w2], [opt2]).Resume<Note>());
        Assert.Contains("belongs to another run", e.Message);
    }

    [Fact]
    public void CorruptCheckpointGivesAClearError()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ckpt").FullName, "bad.ckpt");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => new Checkpoint(path, "f", [zeros(2)], []).Resume<Note>());
        Assert.Contains("unusable checkpoint", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Null(new Checkpoint(path + ".missing", "f", [zeros(2)], []).Resume<Note>());
    }
}
