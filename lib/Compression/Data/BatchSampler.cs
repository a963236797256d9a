// Minibatches drawn without replacement, reshuffled every epoch. The order depends only on the seed and the step
// number, so a run resumed from a checkpoint at step s sees exactly the batches it would have; the augmentation of
// a batch is drawn from the seed and the step too.
using Compression.Randomness;
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class BatchSampler(int count, int batchSize, long seed)
{
    int cachedEpoch = -1;
    long[] order = [];

    public int Count { get; } = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), "no examples to sample");
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

    /// <summary>The (augmented) training batch at a step, on <paramref name="device"/>; a prefetching data set makes it itself.</summary>
    public (Tensor Inputs, Tensor Labels) BatchAt(IDataset data, long step, Device device) =>
        data is IPrefetchingDataset prefetching ? prefetching.BatchAt(this, step, device)
        : data.Train(IndicesAt(step), device, augmentationSeed: AugmentationSeedAt(step));

    /// <summary>The seed of the augmentation of the batch at a step.</summary>
    public long AugmentationSeedAt(long step) => SeedSequence.Derive(seed, step, 0xA06);

    /// <summary>A Fisher-Yates permutation from a 64-bit seed, independent of libtorch.</summary>
    public static long[] Permutation(int n, long seed)
    {
        var p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        var random = new SplitMix64((ulong)seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(random.Next() % (ulong)(i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
