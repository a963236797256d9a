// ImageNet (ILSVRC2012) as an IDataset over the folder Datasets.ImageNetPreparation lays out: training images with the
// random-resized crop to 224 and a flip (Augmentation.RandomResizedCrop, per image from the augmentation seed: never
// System.Random), test images (the 50,000 validation images, the paper's "top-1 error") resized to 256 on the shorter
// side and cropped to the central 224; normalised by ImageNet's mean (0.485, 0.456, 0.406) and standard deviation
// (0.229, 0.224, 0.225). Labels are the classes' positions in classes.txt (sorted WordNet ids). The images of a batch
// are read and decoded in parallel (DecodeThreads); wrap it in a PrefetchingLoader to make the next batches while the
// network trains. Each file's length is checked against the manifest as it is read (ImageNetManifest.Verify checks
// every SHA-256). Registered in DatasetCatalog as "imagenet".
using System.Runtime.CompilerServices;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class ImageNet : IDataset, IHostBatchSource
{
    public const string CatalogName = "imagenet";

    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] StandardDeviation = [0.229f, 0.224f, 0.225f];

#pragma warning disable CA2255 // the package's own data set registers itself when the library loads
    [ModuleInitializer]
    internal static void Register() => DatasetCatalog.Register(CatalogName, dataDir => Load(dataDir));
#pragma warning restore CA2255

    readonly string root;
    readonly ImageNetEntry[] train, test;
    readonly long[] trainLabels, testLabels;
    readonly ImageNormaliser normaliser = new(Mean, StandardDeviation);

    ImageNet(string root, ImageNetManifest manifest, int side, int resize, int decodeThreads)
    {
        this.root = root;
        var index = manifest.Classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => (long)t.i);
        train = manifest.Split("train").ToArray();
        test = manifest.Split("val").ToArray();
        if (train.Length == 0 || test.Length == 0) throw new InvalidDataException($"{root}: the manifest lists {train.Length} training and {test.Length} validation images");
        trainLabels = train.Select(e => index[e.Wnid]).ToArray();
        testLabels = test.Select(e => index[e.Wnid]).ToArray();
        Classes = manifest.Classes.Count;
        Side = side;
        ResizeForTest = resize;
        DecodeThreads = decodeThreads;
        Source = manifest.Source;
    }

    /// <summary>
    /// The prepared folder &lt;dataDir&gt;/imagenet (a clear error names the preparation command when it is missing).
    /// <paramref name="side"/> and <paramref name="resize"/> are 224 and 256 for the paper; smaller for tests.
    /// </summary>
    public static ImageNet Load(string dataDir, int side = 224, int resize = 256, int? decodeThreads = null)
    {
        if (side < 8 || resize < side) throw new ArgumentOutOfRangeException(nameof(side), $"crop {side}, resize {resize}");
        var manifest = ImageNetManifest.Read(dataDir);
        return new ImageNet(ImageNetPreparation.DirectoryFor(dataDir), manifest, side, resize, decodeThreads ?? Environment.ProcessorCount);
    }

    public static bool IsPresent(string dataDir) => File.Exists(Path.Combine(ImageNetPreparation.DirectoryFor(dataDir), ImageNetPreparation.ManifestName));

    public string Name => CatalogName;
    public int TrainCount => train.Length;
    public int TestCount => test.Length;
    public int Classes { get; }
    /// <summary>The side of the square inputs (224).</summary>
    public int Side { get; }
    /// <summary>The shorter side test images are resized to before their central crop (256).</summary>
    public int ResizeForTest { get; }
    public int DecodeThreads { get; }
    public string Source { get; }

    public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null) => Upload(LoadTrain(indices, augmentationSeed), device);

    public (Tensor Inputs, Tensor Labels) Upload(HostBatch batch, Device device) => normaliser.Apply(batch, device);

    public HostBatch LoadTrain(long[] indices, long? augmentationSeed)
    {
        foreach (var i in indices)
            if (i < 0 || i >= train.Length) throw new ArgumentOutOfRangeException(nameof(indices), $"training image {i} of {train.Length}");
        return Decode(indices.Length, i => train[indices[i]], i => trainLabels[indices[i]], position => augmentationSeed is long seed
            ? (width, height) =>
            {
                var random = Augmentation.For(seed, position);
                var box = Augmentation.RandomResizedCrop(width, height, ref random);
                return (box, Augmentation.Flip(ref random));
            }
            : (width, height) => (CentreCrop(width, height), false));
    }

    public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device)
    {
        if (start < 0 || count < 0 || start + count > test.Length) throw new ArgumentOutOfRangeException(nameof(count), $"test images {start}..{start + count - 1} of {test.Length}");
        return normaliser.Apply(Decode(count, i => test[start + i], i => testLabels[start + i], _ => (width, height) => (CentreCrop(width, height), false)), device);
    }

    CropBox CentreCrop(int width, int height) => Augmentation.CentreCrop(width, height, ResizeForTest, Side);

    /// <summary>Reads and decodes <paramref name="count"/> images in parallel; plan(i) picks image i's crop and flip from its size.</summary>
    HostBatch Decode(int count, Func<int, ImageNetEntry> entry, Func<int, long> label, Func<int, Func<int, int, (CropBox Box, bool Flip)>> plan)
    {
        int imageBytes = 3 * Side * Side;
        var pixels = new byte[(long)count * imageBytes];
        var labels = new long[count];
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = DecodeThreads }, i => DecodeOne(i));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first image's own error (a file name and what is wrong with it), not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return new HostBatch(pixels, labels, 3, Side, Side);

        void DecodeOne(int i)
        {
            var e = entry(i);
            var path = Path.Combine(root, e.Path);
            byte[] file;
            try { file = File.ReadAllBytes(path); }
            catch (Exception x) when (x is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new FileNotFoundException($"{path}: missing (listed in {ImageNetPreparation.ManifestName}); prepare ImageNet again with {ImageNetPreparation.PrepareCommand}", path);
            }
            if (file.LongLength != e.Bytes)
                throw new InvalidDataException($"{path}: {file.LongLength:N0} bytes, the manifest says {e.Bytes:N0} (truncated or replaced); prepare ImageNet again");
            ImageDecoding.CropResize(file, path, plan(i), Side, pixels.AsSpan((int)((long)i * imageBytes), imageBytes));
            labels[i] = label(i);
        }
    }

    public void Dispose() => normaliser.Dispose();

    public override string ToString() => $"{Name}: {TrainCount:N0} training and {TestCount:N0} validation images, {Classes} classes, {Side}x{Side} inputs";
}
