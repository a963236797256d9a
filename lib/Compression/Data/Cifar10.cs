// CIFAR-10 as an IDataset: the binary files under <dataDir>/cifar10 (Datasets.Cifar10Files reads and checks them
// against their manifest), held as bytes (150 MB for the 50,000 training images), a batch converted when it is asked
// for: pixels / 255, normalised per channel by the training set's mean and standard deviation (the usual
// (0.4914, 0.4822, 0.4465) and (0.2470, 0.2435, 0.2616)). Training batches with an augmentation seed get the standard
// pad-4-crop-and-flip per image (Augmentation.PadCropFlip, on the bytes, so the padding is black as in torchvision);
// test images are used as they are. Bytes travel to the device and are normalised there (a quarter of the traffic of
// float32). Registered in DatasetCatalog as "cifar10"; synthetic files (SyntheticCifar10) load as "cifar10-synthetic".
using System.Runtime.CompilerServices;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class Cifar10 : IDataset, IHostBatchSource
{
    /// <summary>The name the catalog and the summaries of real runs use.</summary>
    public const string CatalogName = "cifar10";
    public const int Padding = 4;

    public static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];
    public static readonly float[] StandardDeviation = [0.2470f, 0.2435f, 0.2616f];

#pragma warning disable CA2255 // the package's own data set registers itself when the library loads
    [ModuleInitializer]
    internal static void Register() => DatasetCatalog.Register(CatalogName, dataDir => Load(dataDir));
#pragma warning restore CA2255

    readonly Cifar10Images train, test;
    readonly ImageNormaliser normaliser = new(Mean, StandardDeviation);

    Cifar10(string name, Cifar10Images train, Cifar10Images test, string source)
    {
        this.train = train;
        this.test = test;
        Name = name;
        Source = source;
    }

    /// <summary>"cifar10", or "cifar10-synthetic" for files written by <see cref="SyntheticCifar10"/>.</summary>
    public string Name { get; }

    /// <summary>Where the files came from (the manifest's first line): the verified archive, copied files, or "synthetic ...".</summary>
    public string Source { get; }

    public int TrainCount => train.Count;
    public int TestCount => test.Count;
    public int Classes => Cifar10Files.Classes;

    /// <summary>
    /// Loads both splits from &lt;dataDir&gt;/cifar10, every file checked against the manifest; a clear error names the
    /// command that fetches the data when it is missing, truncated or corrupt.
    /// </summary>
    public static Cifar10 Load(string dataDir)
    {
        var manifest = Cifar10Manifest.Read(dataDir);
        var train = Cifar10Files.Load(dataDir, train: true, manifest);
        var test = Cifar10Files.Load(dataDir, train: false, manifest);
        return new Cifar10(manifest.IsSynthetic ? CatalogName + "-synthetic" : CatalogName, train, test, manifest.Source);
    }

    /// <summary>True when &lt;dataDir&gt;/cifar10 has a manifest (it may still fail its checks when loaded).</summary>
    public static bool IsPresent(string dataDir) => File.Exists(Cifar10Files.ManifestPath(dataDir));

    /// <summary>The label of training image <paramref name="index"/>.</summary>
    public int TrainLabel(int index) => train.Labels[index];

    public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null) =>
        Upload(LoadTrain(indices, augmentationSeed), device);

    public (Tensor Inputs, Tensor Labels) Upload(HostBatch batch, Device device) => normaliser.Apply(batch, device);

    public HostBatch LoadTrain(long[] indices, long? augmentationSeed)
    {
        var pixels = new byte[indices.Length * Cifar10Files.ImageBytes];
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            long index = indices[i];
            if (index < 0 || index >= train.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"training image {index} of {train.Count}");
            var source = train.Pixels.AsSpan((int)index * Cifar10Files.ImageBytes, Cifar10Files.ImageBytes);
            var target = pixels.AsSpan(i * Cifar10Files.ImageBytes, Cifar10Files.ImageBytes);
            if (augmentationSeed is long seed)
            {
                var random = Augmentation.For(seed, i);
                Augmentation.PadCropFlip(source, target, Cifar10Files.Channels, Cifar10Files.Side, Padding, ref random);
            }
            else source.CopyTo(target);
            labels[i] = train.Labels[index];
        }
        return new HostBatch(pixels, labels, Cifar10Files.Channels, Cifar10Files.Side, Cifar10Files.Side);
    }

    public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device)
    {
        if (start < 0 || count < 0 || start + count > test.Count) throw new ArgumentOutOfRangeException(nameof(count), $"test images {start}..{start + count - 1} of {test.Count}");
        var pixels = test.Pixels.AsSpan(start * Cifar10Files.ImageBytes, count * Cifar10Files.ImageBytes).ToArray();
        var labels = test.Labels.AsSpan(start, count).ToArray().Select(l => (long)l).ToArray();
        return normaliser.Apply(new HostBatch(pixels, labels, Cifar10Files.Channels, Cifar10Files.Side, Cifar10Files.Side), device);
    }

    /// <summary>Raw bytes (3 x 32 x 32, channel-major) of a test image, for pictures.</summary>
    public byte[] TestImage(int index) => test.Pixels.AsSpan(index * Cifar10Files.ImageBytes, Cifar10Files.ImageBytes).ToArray();

    /// <summary>The label of test image <paramref name="index"/>.</summary>
    public int TestLabel(int index) => test.Labels[index];

    public void Dispose() => normaliser.Dispose();

    public override string ToString() => $"{Name}: {TrainCount:N0} training and {TestCount:N0} test images, 10 classes ({Source})";
}
