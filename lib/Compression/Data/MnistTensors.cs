// MNIST as TorchSharp tensors: images scaled to [0, 1] as N x 1 x 28 x 28 float32, labels as int64.
using Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class MnistTensors : IDisposable
{
    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int Count => (int)Labels.shape[0];

    MnistTensors(Tensor images, Tensor labels) { Images = images; Labels = labels; }

    /// <summary>Loads a split from <c>&lt;dataDir&gt;/mnist</c>; <paramref name="limit"/> keeps the first examples only.</summary>
    public static MnistTensors Load(string dataDir, bool train, int? limit = null, Device? device = null)
    {
        var split = MnistSplit.Load(dataDir, train);
        int n = Math.Min(limit ?? split.Count, split.Count);
        int pixels = split.Images.ItemSize;
        var floats = new float[(long)n * pixels];
        var bytes = split.Images.Data;
        for (long i = 0; i < floats.LongLength; i++) floats[i] = bytes[i] / 255f;
        var labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = split.Labels.Data[i];
        var images = tensor(floats, [n, 1, split.Images.Shape[1], split.Images.Shape[2]]);
        var y = tensor(labels);
        if (device != null && device.type != DeviceType.CPU) { images = images.to(device); y = y.to(device); }
        return new MnistTensors(images.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }

    /// <summary>
    /// Splits off the last <paramref name="count"/> examples (a validation set, as the common 55,000 / 5,000 split of
    /// MNIST's training file): returns (the first Count - count, the last count) as copies; this object is unchanged.
    /// </summary>
    public (MnistTensors Kept, MnistTensors Held) SplitLast(int count)
    {
        if (count <= 0 || count >= Count) throw new ArgumentOutOfRangeException(nameof(count), $"a validation set of {count} from {Count} examples");
        int rest = Count - count;
        MnistTensors Part(int start, int n) =>
            new(Images.narrow(0, start, n).clone().DetachFromDisposeScope(), Labels.narrow(0, start, n).clone().DetachFromDisposeScope());
        return (Part(0, rest), Part(rest, count));
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
