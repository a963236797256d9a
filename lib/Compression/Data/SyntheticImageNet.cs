// A stand-in for the user's ILSVRC2012 files (tests, smoke runs): JPEG images of a few classes in the layouts the
// preparation reads, either folders of <wnid>/ folders or the archives themselves (ILSVRC2012_img_train.tar as a tar
// of <wnid>.tar files, ILSVRC2012_img_val.tar flat, with a labels file), then prepared by the real
// Datasets.ImageNetPreparation. Images have random sizes and class-dependent colours and stripes (learnable); one is
// greyscale and one is a PNG named .JPEG, as ILSVRC2012 has. Class ids are "n000000<c>", which no real synset uses.
using System.Formats.Tar;
using Compression.Randomness;
using Datasets;
using SkiaSharp;

namespace Compression.Data;

public sealed record SyntheticImageNetSources(string Train, string Val, string? ValLabels);

public static class SyntheticImageNet
{
    /// <summary>Writes the source files under <paramref name="directory"/>: folders, or the ILSVRC2012 archives and a labels file.</summary>
    public static SyntheticImageNetSources WriteSources(string directory, int classes = 4, int trainPerClass = 12, int valPerClass = 4,
        int minSide = 40, int maxSide = 72, bool archives = false, long seed = 1)
    {
        if (classes < 2 || trainPerClass < 1 || valPerClass < 1 || minSide < 8 || maxSide < minSide) throw new ArgumentOutOfRangeException(nameof(classes));
        Directory.CreateDirectory(directory);
        var random = new SplitMix64((ulong)SeedSequence.Derive(seed, 0, 0x1A6E7));
        var wnids = Enumerable.Range(0, classes).Select(c => $"n{c:D8}").ToArray();
        var trainFiles = new List<(string Wnid, string Name, byte[] Bytes)>();
        var valFiles = new List<(string Wnid, string Name, byte[] Bytes)>();
        int valNumber = 1;
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < trainPerClass; i++)
            {
                var format = c == 0 && i == 1 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
                trainFiles.Add((wnids[c], $"{wnids[c]}_{i + 1}.JPEG", Image(c, classes, ref random, minSide, maxSide, grey: c == 1 && i == 0, format)));
            }
            for (int i = 0; i < valPerClass; i++)
                valFiles.Add((wnids[c], $"ILSVRC2012_val_{valNumber++:D8}.JPEG", Image(c, classes, ref random, minSide, maxSide, grey: false, SKEncodedImageFormat.Jpeg)));
        }
        // The validation images in an order that is not by class, as in ILSVRC2012.
        var order = BatchSampler.Permutation(valFiles.Count, seed);
        valFiles = order.Select(i => valFiles[(int)i]).ToList();
        if (!archives)
        {
            string train = Path.Combine(directory, "train"), val = Path.Combine(directory, "val");
            foreach (var (wnid, name, bytes) in trainFiles) Write(Path.Combine(train, wnid, name), bytes);
            foreach (var (wnid, name, bytes) in valFiles) Write(Path.Combine(val, wnid, name), bytes);
            return new SyntheticImageNetSources(train, val, null);
        }
        var trainTar = Path.Combine(directory, "ILSVRC2012_img_train.tar");
        using (var output = File.Create(trainTar))
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar))
            foreach (var group in trainFiles.GroupBy(f => f.Wnid))
            {
                var inner = new MemoryStream();
                using (var innerTar = new TarWriter(inner, TarEntryFormat.Ustar, leaveOpen: true))
                    foreach (var (_, name, bytes) in group)
                        innerTar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
                inner.Position = 0;
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, group.Key + ".tar") { DataStream = inner });
            }
        var valTar = Path.Combine(directory, "ILSVRC2012_img_val.tar");
        using (var output = File.Create(valTar))
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar))
            foreach (var (_, name, bytes) in valFiles)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        var labels = Path.Combine(directory, "val_labels.txt");
        File.WriteAllLines(labels, valFiles.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name} {f.Wnid}"));
        return new SyntheticImageNetSources(trainTar, valTar, labels);
    }

    /// <summary>Writes sources under &lt;dataDir&gt;/imagenet-sources and prepares them into &lt;dataDir&gt;/imagenet.</summary>
    public static ImageNetManifest WriteAndPrepare(string dataDir, int classes = 4, int trainPerClass = 12, int valPerClass = 4, bool archives = false, long seed = 1, TextWriter? log = null)
    {
        var sources = WriteSources(Path.Combine(dataDir, "imagenet-sources"), classes, trainPerClass, valPerClass, archives: archives, seed: seed);
        return new ImageNetPreparation(log ?? TextWriter.Null).Prepare(dataDir, sources.Train, sources.Val, sources.ValLabels);
    }

    static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    static byte[] Image(int c, int classes, ref SplitMix64 random, int minSide, int maxSide, bool grey, SKEncodedImageFormat format)
    {
        int width = minSide + (int)(random.Next() % (ulong)(maxSide - minSide + 1));
        int height = minSide + (int)(random.Next() % (ulong)(maxSide - minSide + 1));
        double angle = Math.PI * c / classes, frequency = 3 + c % 3, phase = 2 * Math.PI * random.NextDouble();
        var info = new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        int channels = grey ? 1 : 4;
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double stripes = Math.Cos(2 * Math.PI * frequency * (x * Math.Cos(angle) + y * Math.Sin(angle)) / Math.Max(width, height) + phase);
                for (int ch = 0; ch < Math.Min(3, channels); ch++)
                {
                    double tint = grey ? 0 : Math.Cos(2 * Math.PI * ((double)c / classes + ch / 3.0));
                    pixels[(y * width + x) * channels + ch] = (byte)Math.Clamp(Math.Round(128 + 60 * tint + 50 * stripes + 16 * random.NextGaussian()), 0, 255);
                }
                if (channels == 4) pixels[(y * width + x) * 4 + 3] = 255;
            }
        using var image = SKImage.FromPixelCopy(info, pixels);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
