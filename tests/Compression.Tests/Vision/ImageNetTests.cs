// ImageNet's path on files the tests write in ILSVRC2012's layouts (folders of <wnid>/ folders; the train tar of
// per-class tars and the flat validation tar with a labels file): preparation and its manifest, clear errors for
// missing, malformed, truncated and corrupt inputs, the loader's seeded crops and flips, the resize, and the
// prefetching loader giving the very batches the plain path gives.
using Compression.Data;
using Compression.Randomness;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Tests.Vision;

public class ImageNetTests
{
    static string TempDir(string name) => Directory.CreateTempSubdirectory(name).FullName;

    static readonly Lazy<string> Prepared = new(() =>
    {
        var data = TempDir("imagenet-prepared");
        SyntheticImageNet.WriteAndPrepare(data, classes: 4, trainPerClass: 6, valPerClass: 3);
        return data;
    });

    [Fact]
    public void FoldersAndArchivesPrepareToTheSameManifest()
    {
        var fromFolders = TempDir("in-folders");
        var fromArchives = TempDir("in-archives");
        var a = SyntheticImageNet.WriteAndPrepare(fromFolders, classes: 3, trainPerClass: 3, valPerClass: 2, archives: false, seed: 5);
        var b = SyntheticImageNet.WriteAndPrepare(fromArchives, classes: 3, trainPerClass: 3, valPerClass: 2, archives: true, seed: 5);
        Assert.Equal(["n00000000", "n00000001", "n00000002"], a.Classes);
        Assert.Equal(a.Classes, b.Classes);
        string Lines(ImageNetManifest m) => string.Join("\n", m.Entries.Select(e => $"{e.Split} {e.Wnid} {e.Path} {e.Bytes} {e.Sha256}").Order(StringComparer.Ordinal));
        Assert.Equal(Lines(a), Lines(b));
        Assert.Equal(9, a.Split("train").Count());
        Assert.Equal(6, a.Split("val").Count());
        var read = ImageNetManifest.Read(fromArchives);
        Assert.Equal(Lines(b), Lines(read));
        Assert.Empty(read.Verify(fromArchives));
        // A validation image sits in its class's folder.
        var labels = ImageNetPreparation.ReadValidationLabels(Path.Combine(fromArchives, "imagenet-sources", "val_labels.txt"));
        Assert.All(read.Split("val"), e => Assert.Equal(labels[Path.GetFileName(e.Path)], e.Wnid));
    }

    [Fact]
    public void MissingOrMalformedInputsAreNamed()
    {
        var data = TempDir("imagenet-none");
        var missing = Assert.Throws<FileNotFoundException>(() => ImageNet.Load(data));
        Assert.Contains("make data-imagenet", missing.Message);
        Assert.Contains("cannot be downloaded", missing.Message);

        var sources = SyntheticImageNet.WriteSources(TempDir("src"), classes: 2, trainPerClass: 2, valPerClass: 1, archives: true);
        var prep = new ImageNetPreparation(TextWriter.Null);
        Assert.Contains("--val-labels", Assert.Throws<ArgumentException>(() => prep.Prepare(TempDir("d1"), sources.Train, sources.Val)).Message);
        var partial = Path.Combine(TempDir("labels"), "labels.txt");
        File.WriteAllLines(partial, File.ReadAllLines(sources.ValLabels!).Skip(1));
        Assert.Contains("has no label", Assert.Throws<InvalidDataException>(() => prep.Prepare(TempDir("d2"), sources.Train, sources.Val, partial)).Message);
        File.WriteAllText(partial, "ILSVRC2012_val_00000001.JPEG dog\n");
        Assert.Contains("not a WordNet id", Assert.Throws<InvalidDataException>(() => ImageNetPreparation.ReadValidationLabels(partial)).Message);
        Assert.Contains("ILSVRC2012_img_train.tar", Assert.Throws<InvalidDataException>(() => prep.Prepare(TempDir("d3"), sources.Val, sources.Val, sources.ValLabels)).Message);

        var folders = SyntheticImageNet.WriteSources(TempDir("src2"), classes: 2, trainPerClass: 2, valPerClass: 1);
        File.WriteAllText(Path.Combine(folders.Train, "n00000001", "notes.JPEG"), "not an image");
        Assert.Contains("not a JPEG or PNG", Assert.Throws<InvalidDataException>(() => prep.Prepare(TempDir("d4"), folders.Train, folders.Val)).Message);
        Directory.CreateDirectory(Path.Combine(folders.Val, "dogs"));
        Assert.Contains("not a WordNet id folder", Assert.Throws<InvalidDataException>(() => prep.Prepare(TempDir("d5"), folders.Val, folders.Val)).Message);
        Assert.Contains("no such file or folder", Assert.Throws<FileNotFoundException>(() => prep.Prepare(TempDir("d6"), "/nonexistent/train.tar", folders.Val)).Message);
    }

    [Fact]
    public void TruncatedOrCorruptImagesFailWhenRead()
    {
        var data = TempDir("imagenet-bad");
        var manifest = SyntheticImageNet.WriteAndPrepare(data, classes: 2, trainPerClass: 2, valPerClass: 1);
        var victim = manifest.Split("train").First();
        var path = Path.Combine(ImageNetPreparation.DirectoryFor(data), victim.Path);
        var bytes = File.ReadAllBytes(path);
        using var set = ImageNet.Load(data, side: 16, resize: 20);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        Assert.Contains("the manifest says", Assert.Throws<InvalidDataException>(() => set.LoadTrain([0], null)).Message);
        var garbage = new byte[bytes.Length];
        new Random(1).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);
        Assert.Contains(victim.Path.Replace('/', Path.DirectorySeparatorChar), Assert.Throws<ImageDecodingException>(() => set.LoadTrain([0], null)).Message);
        Assert.Contains("SHA-256", Assert.Single(ImageNetManifest.Read(data).Verify(data)));
        File.Delete(path);
        Assert.Contains("prepare ImageNet again", Assert.Throws<FileNotFoundException>(() => set.LoadTrain([0], null)).Message);
    }

    [Fact]
    public void TrainingCropsAreSeededPerImageAndTestCropsFixed()
    {
        using var set = ImageNet.Load(Prepared.Value, side: 24, resize: 28, decodeThreads: 2);
        Assert.Equal(24, set.TrainCount);
        Assert.Equal(12, set.TestCount);
        Assert.Equal(4, set.Classes);
        var indices = new long[] { 3, 3, 3, 3, 3, 3, 3, 3, 10 };
        var a = set.LoadTrain(indices, 99);
        var b = set.LoadTrain(indices, 99);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        int imageBytes = 3 * 24 * 24;
        int distinct = Enumerable.Range(0, 8).Select(i => Convert.ToHexString(a.Pixels, i * imageBytes, imageBytes)).Distinct().Count();
        Assert.True(distinct >= 6, $"{distinct} different crops of one image in 8 positions");
        Assert.NotEqual(a.Pixels, set.LoadTrain(indices, 100).Pixels);
        using (var oneThread = ImageNet.Load(Prepared.Value, side: 24, resize: 28, decodeThreads: 1))
            Assert.Equal(a.Pixels, oneThread.LoadTrain(indices, 99).Pixels);   // the bytes do not depend on the decoding threads
        using var scope = NewDisposeScope();
        var (x1, y1) = set.Test(0, 12, CPU);
        var (x2, _) = set.Test(0, 12, CPU);
        Assert.Equal(new long[] { 12, 3, 24, 24 }, x1.shape);
        Assert.Equal(0f, x1.sub(x2).abs().max().item<float>());
        Assert.True(y1.max().item<long>() < 4 && y1.min().item<long>() >= 0);
        Assert.InRange(x1.mean().item<float>(), -1.5f, 1.5f);   // normalised, not raw bytes
    }

    [Fact]
    public void ResizeIsTheIdentityAtScaleOneAndMirrorsWhenAsked()
    {
        const int w = 5, h = 4;
        var rgba = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++) { rgba[4 * i] = (byte)(10 * i); rgba[4 * i + 1] = (byte)(255 - i); rgba[4 * i + 2] = (byte)(i * i); }
        var output = new byte[3 * 4 * 4];
        ImageDecoding.Resize(rgba, w, h, 1, 0, 4, 4, 4, flip: false, output);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                int source = y * w + x + 1;
                Assert.Equal(rgba[4 * source], output[y * 4 + x]);
                Assert.Equal(rgba[4 * source + 1], output[16 + y * 4 + x]);
                Assert.Equal(rgba[4 * source + 2], output[32 + y * 4 + x]);
            }
        var mirrored = new byte[3 * 4 * 4];
        ImageDecoding.Resize(rgba, w, h, 1, 0, 4, 4, 4, flip: true, mirrored);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++) Assert.Equal(output[y * 4 + x], mirrored[y * 4 + 3 - x]);
        // Halving a two-pixel-period pattern averages it out (to 100 inside, within 15% at the clamped edges).
        var stripes = new byte[8 * 8 * 4];
        for (int i = 0; i < 64; i++) stripes[4 * i] = stripes[4 * i + 1] = stripes[4 * i + 2] = (byte)(i % 2 == 0 ? 0 : 200);
        var half = new byte[3 * 4 * 4];
        ImageDecoding.Resize(stripes, 8, 8, 0, 0, 8, 8, 4, flip: false, half);
        Assert.All(half, v => Assert.InRange(v, 80, 120));
        Assert.Equal(100, half[1 * 4 + 1]);
    }

    [Fact]
    public void RandomResizedCropStaysInsideWithinTheAreaAndAspectRanges()
    {
        var random = new SplitMix64(7);
        for (int i = 0; i < 2000; i++)
        {
            int w = 20 + (int)(random.Next() % 500), h = 20 + (int)(random.Next() % 500);
            var box = Augmentation.RandomResizedCrop(w, h, ref random);
            Assert.True(box.Left >= 0 && box.Top >= 0 && box.Left + box.Width <= w && box.Top + box.Height <= h, $"{box} in {w}x{h}");
            double area = (double)box.Width * box.Height / (w * h), ratio = (double)box.Width / box.Height;
            Assert.InRange(area, 0.06, 1.0);
            Assert.InRange(ratio, 0.7, 1.45);
        }
        // A sliver cannot hold the ratio range: the fallback is its central crop at the nearest ratio.
        var fallback = Augmentation.RandomResizedCrop(1000, 10, ref random);
        Assert.Equal(new CropBox((1000 - 13) / 2, 0, 13, 10), fallback);
        Assert.Equal(new CropBox(44, 19, 262, 262), Augmentation.CentreCrop(350, 300));   // 300 -> 256, whose central 224 are 262.5 source pixels
    }

    [Fact]
    public void PrefetchingLoaderGivesTheSameBatchesInOrderAndAfterAJump()
    {
        using var set = ImageNet.Load(Prepared.Value, side: 16, resize: 20, decodeThreads: 2);
        using var loader = new PrefetchingLoader(set, depth: 3);
        var plainSampler = new BatchSampler(set.TrainCount, 5, seed: 4);
        var sampler = new BatchSampler(set.TrainCount, 5, seed: 4);
        foreach (long step in new long[] { 0, 1, 2, 3, 4, 5, 6, 20, 21, 2, 3 })
        {
            using var scope = NewDisposeScope();
            var (x, y) = sampler.BatchAt(loader, step, CPU);
            var (px, py) = plainSampler.BatchAt(set, step, CPU);
            Assert.Equal(0f, x.sub(px).abs().max().item<float>());
            Assert.Equal(py.data<long>().ToArray(), y.data<long>().ToArray());
        }
        Assert.True(loader.Ready + loader.Waited == 11);
        Assert.True(loader.Waited >= 3, "steps 0, 20 and 2 were asked for out of order and made on the spot");
    }
}
