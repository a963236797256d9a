// MNIST as a TensorDataset: images scaled to [0, 1] as N x 1 x 28 x 28 float32, labels as int64, read from the four
// original IDX files under <dataDir>/mnist (fetched by `make data`, checked when loaded).
using Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Data;

public static class Mnist
{
    public const string Name = "mnist";

    /// <summary>Both splits of MNIST on <paramref name="device"/> (the CPU by default).</summary>
    public static TensorDataset Load(string dataDir, Device? device = null)
    {
        var (trainImages, trainLabels) = Split(dataDir, train: true);
        var (testImages, testLabels) = Split(dataDir, train: false);
        var data = new TensorDataset(Name, trainImages, trainLabels, testImages, testLabels, classes: 10);
        if (device is null || device.type == DeviceType.CPU) return data;
        using (data) return data.To(device);
    }

    static (Tensor Images, Tensor Labels) Split(string dataDir, bool train)
    {
        var split = MnistSplit.Load(dataDir, train);
        int n = split.Count;
        int pixels = split.Images.ItemSize;
        var floats = new float[(long)n * pixels];
        var bytes = split.Images.Data;
        for (long i = 0; i < floats.LongLength; i++) floats[i] = bytes[i] / 255f;
        var labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = split.Labels.Data[i];
        return (tensor(floats, [n, 1, split.Images.Shape[1], split.Images.Shape[2]]), tensor(labels));
    }
}
