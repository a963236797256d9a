// A batch of images as bytes in host memory (N x C x H x W, channel-major, plus int64 labels): what the image data
// sets decode and augment on the CPU, on any thread, without touching libtorch. Only the thread that trains turns it
// into tensors (inside its own dispose scope), so prefetching threads never own tensors.
// ImageNormaliser turns bytes into the network's input on the device: (x / 255 - mean) / std per channel, with the
// bytes sent to the device first (a quarter of float32's traffic) and the per-device constants kept as tensors.
using static TorchSharp.torch;

namespace Compression.Data;

public sealed record HostBatch(byte[] Pixels, long[] Labels, int Channels, int Height, int Width)
{
    public int Count => Labels.Length;
}

/// <summary>A data set that can produce its training batches as <see cref="HostBatch"/>es (see <see cref="PrefetchingLoader"/>).</summary>
public interface IHostBatchSource
{
    /// <summary>The training images at <paramref name="indices"/>, augmented from <paramref name="augmentationSeed"/> when one is given. Thread-safe.</summary>
    HostBatch LoadTrain(long[] indices, long? augmentationSeed);

    /// <summary>The batch as network inputs and labels on <paramref name="device"/>.</summary>
    (Tensor Inputs, Tensor Labels) Upload(HostBatch batch, Device device);
}

public sealed class ImageNormaliser(float[] mean, float[] standardDeviation) : IDisposable
{
    readonly Dictionary<string, (Tensor Shift, Tensor Scale)> constants = [];
    readonly Lock gate = new();

    public IReadOnlyList<float> Mean { get; } = mean;
    public IReadOnlyList<float> StandardDeviation { get; } = standardDeviation;

    /// <summary>float32 inputs N x C x H x W on <paramref name="device"/> and the labels.</summary>
    public (Tensor Inputs, Tensor Labels) Apply(HostBatch batch, Device device)
    {
        if (batch.Channels != Mean.Count) throw new ArgumentException($"{batch.Channels} channels, the normaliser has {Mean.Count}");
        using var bytes = tensor(batch.Pixels, [batch.Count, batch.Channels, batch.Height, batch.Width]);
        using var onDevice = bytes.to(device);
        var (shift, scale) = For(device);
        using var floats = onDevice.to_type(ScalarType.Float32);
        return (floats.mul(scale).add_(shift), tensor(batch.Labels, device: device));
    }

    (Tensor Shift, Tensor Scale) For(Device device)
    {
        lock (gate)
        {
            var key = device.ToString();
            if (constants.TryGetValue(key, out var c)) return c;
            int n = Mean.Count;
            var scale = tensor(StandardDeviation.Select(s => 1 / (255f * s)).ToArray(), [1, n, 1, 1], device: device).DetachFromDisposeScope();
            var shift = tensor(Mean.Zip(StandardDeviation, (m, s) => -m / s).ToArray(), [1, n, 1, 1], device: device).DetachFromDisposeScope();
            constants[key] = (shift, scale);
            return (shift, scale);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var (shift, scale) in constants.Values) { shift.Dispose(); scale.Dispose(); }
            constants.Clear();
        }
    }
}
