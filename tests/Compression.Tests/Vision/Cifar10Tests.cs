// CIFAR-10's binary files on disk, written by the tests in the real format: parsing, the manifest's checks on
// truncated and corrupt files, the fetcher on an archive with the official layout (checksums verified before
// extraction, mirrors tried in turn, nothing left behind on failure), the data set's normalisation and its per-image
// seeded pad-crop-flip.
using System.Formats.Tar;
using System.IO.Compression;
using Compression.Data;
using Compression.Randomness;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Tests.Vision;

public class Cifar10Tests
{
    static Cifar10Images Images(int n, int seed)
    {
        var r = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(_ => (byte)r.Next(10)).ToArray();
        var pixels = new byte[n * Cifar10Files.ImageBytes];
        r.NextBytes(pixels);
        return new Cifar10Images(labels, pixels);
    }

    static string TempDir(string name) => Directory.CreateTempSubdirectory(name).FullName;

    /// <summary>A tar.gz laid out as the official archive: cifar-10-batches-bin/&lt;file&gt; (+ an entry that must be ignored).</summary>
    static string Archive(string dir, int records)
    {
        var path = Path.Combine(dir, Cifar10Files.ArchiveName);
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var tar = new TarWriter(gz);
        int seed = 0;
        foreach (var name in Cifar10Files.AllFiles)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{Cifar10Files.BatchesFolder}/{name}") { DataStream = new MemoryStream(Cifar10Files.Encode(Images(records, seed++))) };
            tar.WriteEntry(entry);
        }
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{Cifar10Files.BatchesFolder}/{Cifar10Files.MetaFile}") { DataStream = new MemoryStream("airplane\n"u8.ToArray()) });
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../escape.bin") { DataStream = new MemoryStream(new byte[3073]) });
        return path;
    }

    static Cifar10Fetcher FetcherFor(string archive, StringWriter log, IReadOnlyList<Uri>? mirrors = null, int records = 3) =>
        new(new HttpDownloader(TimeSpan.FromSeconds(5)), log)
        {
            ExpectedBytes = new FileInfo(archive).Length,
            ExpectedMd5 = Checksums.Md5(archive),
            ExpectedSha256 = Cifar10Files.Sha256(File.ReadAllBytes(archive)),
            RecordsPerFile = records,
            Mirrors = mirrors ?? [],
        };

    [Fact]
    public void RecordsRoundTripAndBadFilesAreNamed()
    {
        var images = Images(5, 1);
        var bytes = Cifar10Files.Encode(images);
        Assert.Equal(5 * 3073, bytes.Length);
        var back = Cifar10Files.Parse(bytes, "x");
        Assert.Equal(images.Labels, back.Labels);
        Assert.Equal(images.Pixels, back.Pixels);
        Assert.Contains("not a whole number of 3073-byte records", Assert.Throws<Cifar10FormatException>(() => Cifar10Files.Parse(bytes.AsSpan(0, bytes.Length - 1), "t.bin")).Message);
        Assert.Contains("empty", Assert.Throws<Cifar10FormatException>(() => Cifar10Files.Parse([], "e.bin")).Message);
        bytes[3073] = 10;
        Assert.Contains("record 1 has label 10", Assert.Throws<Cifar10FormatException>(() => Cifar10Files.Parse(bytes, "l.bin")).Message);
    }

    [Fact]
    public void MissingDataNamesTheFetchCommand()
    {
        var data = TempDir("cifar-none");
        var e = Assert.Throws<Cifar10FormatException>(() => Cifar10.Load(data));
        Assert.Contains("make data-cifar10", e.Message);
        Assert.Throws<Cifar10FormatException>(() => DatasetCatalog.Load("cifar10", data));
        Assert.False(Cifar10.IsPresent(data));
    }

    [Fact]
    public void TruncatedOrCorruptFilesFailTheManifestCheck()
    {
        var data = TempDir("cifar-bad");
        SyntheticCifar10.Write(data, perTrainFile: 4, test: 3);
        using (var ok = Cifar10.Load(data)) Assert.Equal(20, ok.TrainCount);
        var file = Path.Combine(Cifar10Files.BatchesDirectory(data), "data_batch_3.bin");
        var bytes = File.ReadAllBytes(file);
        bytes[100] ^= 1;
        File.WriteAllBytes(file, bytes);
        var corrupt = Assert.Throws<Cifar10FormatException>(() => Cifar10.Load(data));
        Assert.Contains("data_batch_3.bin: SHA-256", corrupt.Message);
        Assert.Contains("make data-cifar10", corrupt.Message);
        File.WriteAllBytes(file, bytes.AsSpan(0, 3073 * 3).ToArray());
        Assert.Contains("the manifest says 12,292", Assert.Throws<Cifar10FormatException>(() => Cifar10.Load(data)).Message);
        File.Delete(file);
        Assert.Contains("data_batch_3.bin: missing", Assert.Throws<Cifar10FormatException>(() => Cifar10.Load(data)).Message);
        File.Delete(Cifar10Files.ManifestPath(data));
        Assert.Contains("MANIFEST: missing", Assert.Throws<Cifar10FormatException>(() => Cifar10.Load(data)).Message);
    }

    [Fact]
    public async Task FetcherVerifiesTheArchiveExtractsOnlyTheBatchesAndIsIdempotent()
    {
        var archive = Archive(TempDir("cifar-archive"), records: 3);
        var data = TempDir("cifar-data");
        var log = new StringWriter();
        // The first mirror does not exist, the second serves the archive.
        var fetcher = FetcherFor(archive, log, [new Uri(Path.Combine(TempDir("empty"), "nothing.tar.gz")), new Uri(archive)]);
        await fetcher.FetchAsync(data);
        Assert.Contains("failed", log.ToString());
        Assert.Contains("MD5 and SHA-256 verified", log.ToString());
        var batches = Cifar10Files.BatchesDirectory(data);
        Assert.Equal(Cifar10Files.AllFiles.Append(Cifar10Files.MetaFile).Order(), Directory.GetFiles(batches).Select(Path.GetFileName).Order()!);
        Assert.False(File.Exists(Path.Combine(data, "escape.bin")));
        Assert.True(Cifar10Fetcher.IsComplete(data));
        using (var set = Cifar10.Load(data))
        {
            Assert.Equal("cifar10", set.Name);
            Assert.Equal(15, set.TrainCount);
            Assert.Equal(3, set.TestCount);
            Assert.Contains("verified", set.Source);
        }
        var again = new StringWriter();
        await FetcherFor(archive, again).FetchAsync(data);
        Assert.Contains("present and verified", again.ToString());
    }

    [Fact]
    public async Task WrongArchiveIsRejectedBeforeExtraction()
    {
        var archive = Archive(TempDir("cifar-archive2"), records: 3);
        var data = TempDir("cifar-data2");
        var wrong = new Cifar10Fetcher(new HttpDownloader(TimeSpan.FromSeconds(5)), new StringWriter())
        {
            ExpectedBytes = new FileInfo(archive).Length, ExpectedMd5 = new string('0', 32), ExpectedSha256 = new string('0', 64), RecordsPerFile = 3, Mirrors = [],
        };
        await Assert.ThrowsAsync<ChecksumMismatchException>(() => wrong.FetchAsync(data, archive: archive));
        Assert.False(Directory.Exists(Cifar10Files.BatchesDirectory(data)));
        var truncated = Path.Combine(TempDir("cifar-trunc"), Cifar10Files.ArchiveName);
        File.WriteAllBytes(truncated, File.ReadAllBytes(archive).AsSpan(0, 1000).ToArray());
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => FetcherFor(archive, new StringWriter()).FetchAsync(data, archive: truncated));
        Assert.Contains("truncated", e.Message);
        var none = await Assert.ThrowsAsync<IOException>(() => FetcherFor(archive, new StringWriter(), [new Uri(truncated)]).FetchAsync(TempDir("cifar-data3")));
        Assert.Contains("CIFAR10_ARCHIVE=", none.Message);
    }

    [Fact]
    public async Task ExtractedFilesAreCopiedAfterTheirRecordsAreChecked()
    {
        var from = TempDir("cifar-from");
        foreach (var (name, i) in Cifar10Files.AllFiles.Select((n, i) => (n, i)))
            File.WriteAllBytes(Path.Combine(from, name), Cifar10Files.Encode(Images(3, 10 + i)));
        var data = TempDir("cifar-copied");
        await FetcherFor(Archive(TempDir("unused"), 3), new StringWriter()).FetchAsync(data, extracted: from);
        using var set = Cifar10.Load(data);
        Assert.Contains("no archive checksum", set.Source);
        File.WriteAllBytes(Path.Combine(from, "test_batch.bin"), new byte[3073 * 2 + 5]);
        var e = await Assert.ThrowsAsync<Cifar10FormatException>(() => FetcherFor(Archive(TempDir("unused2"), 3), new StringWriter()).FetchAsync(TempDir("c2"), extracted: from));
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public void BatchesAreNormalisedBytesAndAugmentationIsPerImageAndSeeded()
    {
        var data = TempDir("cifar-aug");
        SyntheticCifar10.Write(data, perTrainFile: 8, test: 4, seed: 3);
        using var set = Cifar10.Load(data);
        Assert.Equal("cifar10-synthetic", set.Name);
        var raw = Cifar10Files.Load(data, train: true);
        using var scope = NewDisposeScope();
        // Unaugmented: (byte / 255 - mean) / std, channel by channel.
        var (x, y) = set.Train([5, 0], CPU);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, x.shape);
        Assert.Equal(raw.Labels[5], (byte)y[0].item<long>());
        float expected = (raw.Pixels[5 * 3072 + 1024 + 33] / 255f - Cifar10.Mean[1]) / Cifar10.StandardDeviation[1];
        Assert.Equal(expected, x[0, 1, 1, 1].item<float>(), 5);
        // Augmented: the same seed gives the same batch; one image repeated in a batch is augmented differently per position.
        var same = Enumerable.Repeat(7L, 16).ToArray();
        var (a1, _) = set.Train(same, CPU, augmentationSeed: 42);
        var (a2, _) = set.Train(same, CPU, augmentationSeed: 42);
        Assert.Equal(0f, a1.sub(a2).abs().max().item<float>());
        int distinct = Enumerable.Range(0, 16).Select(i => string.Join(",", a1[i].flatten().data<float>().ToArray().Take(200))).Distinct().Count();
        Assert.True(distinct > 4, $"only {distinct} different augmentations of one image in a batch of 16");
        // Each augmented image is the original shifted by (dy, dx) in [-4, 4] and maybe mirrored, with zeros (black) outside.
        var original = raw.Pixels.AsSpan(7 * 3072, 3072).ToArray();
        var output = new byte[3072];
        for (int i = 0; i < 16; i++)
        {
            var r = Augmentation.For(42, i);
            Augmentation.PadCropFlip(original, output, 3, 32, 4, ref r);
            var check = new SplitMix64((ulong)SeedSequence.Derive(42, i, 0x1A6E));
            int dy = (int)(check.Next() % 9) - 4, dx = (int)(check.Next() % 9) - 4;
            bool flip = (check.Next() & 1) == 1;
            for (int c = 0; c < 3; c++)
                for (int row = 0; row < 32; row++)
                    for (int col = 0; col < 32; col++)
                    {
                        int sy = row + dy, sx = (flip ? 31 - col : col) + dx;
                        byte want = sy is >= 0 and < 32 && sx is >= 0 and < 32 ? original[c * 1024 + sy * 32 + sx] : (byte)0;
                        Assert.Equal(want, output[c * 1024 + row * 32 + col]);
                    }
            float fromBatch = a1[i, 2, 10, 20].item<float>();
            Assert.Equal((output[2 * 1024 + 10 * 32 + 20] / 255f - Cifar10.Mean[2]) / Cifar10.StandardDeviation[2], fromBatch, 5);
        }
    }
}
