// Minibatches drawn without replacement, reshuffled every epoch. The order depends only on the seed and
// the step number, so a run resumed from a checkpoint at step s sees exactly the batches it would have.
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class BatchSampler(int count, int batchSize, long seed)
{
    int cachedEpoch = -1;
    long[] order = [];

    public int Count { get; } = count;
    public int BatchSize { get; } = Math.Min(batchSize, count);
    public int BatchesPerEpoch => Count / BatchSize;

    /// <summary>Indices of the minibatch used at a global step (0-based).</summary>
    public long[] IndicesAt(long step)
    {
        int epoch = (int)(step / BatchesPerEpoch);
        int within = (int)(step % BatchesPerEpoch);
        if (epoch != cachedEpoch)
        {
            order = Permutation(Count, seed * 1_000_003 + epoch);
            cachedEpoch = epoch;
        }
        return order.AsSpan(within * BatchSize, BatchSize).ToArray();
    }

    /// <summary>The batch (images, labels) at a step, gathered on the data's device.</summary>
    public (Tensor Images, Tensor Labels) BatchAt(MnistTensors data, long step)
    {
        using var index = tensor(IndicesAt(step), device: data.Images.device);
        return (data.Images.index_select(0, index), data.Labels.index_select(0, index));
    }

    /// <summary>A Fisher-Yates permutation from a 64-bit seed (SplitMix64), independent of libtorch.</summary>
    public static long[] Permutation(int n, long seed)
    {
        var p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        ulong state = (ulong)seed;
        for (int i = n - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            int j = (int)(z % (ulong)(i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
