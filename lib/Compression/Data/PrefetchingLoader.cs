// Keeps a GPU fed: while step s trains, the batches of steps s+1 .. s+Depth are decoded and augmented on worker
// threads (the source decodes the images of one batch in parallel too). Batches are the same as without it: the
// indices and the augmentation seed of step s come from the BatchSampler (so from the seed and the step only), and the
// source's augmentation depends on nothing else; only when they are made changes. Workers produce HostBatch bytes;
// tensors are made on the training thread, inside its dispose scope. A step asked for out of order (a resumed run)
// is made on the spot and prefetching restarts from there.
//     using var loader = new PrefetchingLoader(ImageNet.Load(dataDir), depth: 4);
//     EprTrainer.Train(architecture, loader, options, device, ...);    // BatchSampler.BatchAt asks the loader
using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Compression.Data;

/// <summary>A data set that makes the batch of a sampler's step itself (e.g. ahead of time); BatchSampler.BatchAt defers to it.</summary>
public interface IPrefetchingDataset : IDataset
{
    (Tensor Inputs, Tensor Labels) BatchAt(BatchSampler sampler, long step, Device device);
}

public sealed class PrefetchingLoader : IPrefetchingDataset
{
    readonly IDataset data;
    readonly IHostBatchSource source;
    readonly ConcurrentDictionary<long, Task<HostBatch>> pending = new();
    BatchSampler? sampler;
    long nextToSchedule = -1;

    /// <param name="data">A data set that is also an <see cref="IHostBatchSource"/> (ImageNet, Cifar10); the loader does not own it.</param>
    /// <param name="depth">Batches made ahead of the one being trained on.</param>
    public PrefetchingLoader(IDataset data, int depth = 4)
    {
        this.data = data;
        source = data as IHostBatchSource ?? throw new ArgumentException($"{data.Name} cannot make host batches (it is not an IHostBatchSource)");
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth));
        Depth = depth;
    }

    public int Depth { get; }

    /// <summary>Steps whose batch was ready when asked for, and steps that had to wait or be made on the spot.</summary>
    public long Ready { get; private set; }
    public long Waited { get; private set; }

    public string Name => data.Name;
    public int TrainCount => data.TrainCount;
    public int TestCount => data.TestCount;
    public int Classes => data.Classes;

    public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null) => data.Train(indices, device, augmentationSeed);
    public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device) => data.Test(start, count, device);

    public (Tensor Inputs, Tensor Labels) BatchAt(BatchSampler sampler, long step, Device device)
    {
        if (!ReferenceEquals(sampler, this.sampler)) { Drain(); this.sampler = sampler; nextToSchedule = step; }
        HostBatch batch;
        if (pending.TryRemove(step, out var task))
        {
            if (task.IsCompleted) Ready++; else Waited++;
            batch = task.GetAwaiter().GetResult();
        }
        else
        {
            // Out of order (first step, or a resume): drop what was made ahead and make this one now.
            Drain();
            Waited++;
            batch = source.LoadTrain(sampler.IndicesAt(step), sampler.AugmentationSeedAt(step));
            nextToSchedule = step + 1;
        }
        // The sampler is not thread-safe: indices and seeds of the steps ahead are drawn here, on the training thread.
        if (nextToSchedule <= step) nextToSchedule = step + 1;
        while (nextToSchedule <= step + Depth)
        {
            long s = nextToSchedule++;
            var indices = sampler.IndicesAt(s);
            long seed = sampler.AugmentationSeedAt(s);
            pending[s] = Task.Run(() => source.LoadTrain(indices, seed));
        }
        return source.Upload(batch, device);
    }

    void Drain()
    {
        foreach (var t in pending.Values) { try { t.Wait(); } catch (AggregateException) { } }
        pending.Clear();
    }

    /// <summary>Waits for the batches still being made (does not dispose the data set).</summary>
    public void Dispose() => Drain();
}
