// CIFAR-10's binary version (Krizhevsky 2009, www.cs.toronto.edu/~kriz/cifar.html): five training files
// data_batch_1..5.bin and test_batch.bin, each 10,000 records of 3,073 bytes: the label (0..9), then 1,024 red,
// 1,024 green and 1,024 blue bytes, rows top to bottom. Read as they are (no pickle, no division by 256), checked
// record by record, and checked against the folder's MANIFEST (SHA-256 of every file, written when the files were
// extracted from the archive whose MD5 and SHA-256 the fetcher verified, or when synthetic files were written).
using System.Security.Cryptography;

namespace Datasets;

/// <summary>A CIFAR file or folder that is missing, truncated, corrupt or not what its manifest says.</summary>
public sealed class Cifar10FormatException(string message) : IOException(message);

/// <summary>Images of one or more CIFAR files: N labels and N x 3 x 32 x 32 bytes (channel-major, as stored).</summary>
public sealed record Cifar10Images(byte[] Labels, byte[] Pixels)
{
    public int Count => Labels.Length;
}

public static class Cifar10Files
{
    public const int Side = 32, Channels = 3, ImageBytes = Channels * Side * Side, RecordBytes = ImageBytes + 1, Classes = 10;
    public const int OfficialRecordsPerFile = 10_000;
    public const string FolderName = "cifar10", BatchesFolder = "cifar-10-batches-bin", ManifestName = "MANIFEST", MetaFile = "batches.meta.txt";

    public static readonly string[] TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string TestFile = "test_batch.bin";
    public static IEnumerable<string> AllFiles => TrainFiles.Append(TestFile);

    public static readonly string[] ClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The official archive (the dataset page lists its MD5; its length and SHA-256 are as published alongside).</summary>
    public const string ArchiveName = "cifar-10-binary.tar.gz";
    public const long ArchiveBytes = 170_052_171;
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public const string ArchiveSha256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd";

    /// <summary>Where the archive is served: the dataset's page, then a public copy of the same file.</summary>
    public static readonly IReadOnlyList<Uri> Mirrors =
    [
        new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
        new("https://mindspore-website.obs.cn-north-4.myhuaweicloud.com/notebook/datasets/cifar-10-binary.tar.gz"),
    ];

    /// <summary>&lt;dataDir&gt;/cifar10</summary>
    public static string DirectoryFor(string dataDir) => Path.Combine(dataDir, FolderName);

    /// <summary>&lt;dataDir&gt;/cifar10/cifar-10-batches-bin, the folder the archive extracts to.</summary>
    public static string BatchesDirectory(string dataDir) => Path.Combine(DirectoryFor(dataDir), BatchesFolder);

    public static string ManifestPath(string dataDir) => Path.Combine(DirectoryFor(dataDir), ManifestName);

    /// <summary>The command that gets the data, for error messages.</summary>
    public const string FetchCommand = "make data-cifar10 (or: dotnet run --project data-scripts/FetchData -- cifar10 --data-dir <folder> [--archive <cifar-10-binary.tar.gz>])";

    /// <summary>Parses the records of one file; any length that is not a whole, positive number of records is an error.</summary>
    public static Cifar10Images Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length == 0) throw new Cifar10FormatException($"{name}: empty file (expected records of {RecordBytes} bytes)");
        if (bytes.Length % RecordBytes != 0)
            throw new Cifar10FormatException($"{name}: {bytes.Length:N0} bytes is not a whole number of {RecordBytes}-byte records (truncated or not a CIFAR-10 binary file; " +
                                             $"an official file has {OfficialRecordsPerFile * (long)RecordBytes:N0})");
        int n = bytes.Length / RecordBytes;
        var labels = new byte[n];
        var pixels = new byte[(long)n * ImageBytes];
        for (int i = 0; i < n; i++)
        {
            var record = bytes.Slice(i * RecordBytes, RecordBytes);
            if (record[0] >= Classes) throw new Cifar10FormatException($"{name}: record {i} has label {record[0]} (CIFAR-10 labels are 0..9; a CIFAR-100 file has two label bytes)");
            labels[i] = record[0];
            record[1..].CopyTo(pixels.AsSpan(i * ImageBytes, ImageBytes));
        }
        return new Cifar10Images(labels, pixels);
    }

    /// <summary>The bytes of a file holding these images (the inverse of <see cref="Parse"/>).</summary>
    public static byte[] Encode(Cifar10Images images)
    {
        if (images.Pixels.LongLength != (long)images.Count * ImageBytes) throw new ArgumentException($"{images.Count} labels but {images.Pixels.LongLength} pixel bytes");
        var bytes = new byte[(long)images.Count * RecordBytes];
        for (int i = 0; i < images.Count; i++)
        {
            bytes[i * RecordBytes] = images.Labels[i];
            images.Pixels.AsSpan(i * ImageBytes, ImageBytes).CopyTo(bytes.AsSpan(i * RecordBytes + 1));
        }
        return bytes;
    }

    /// <summary>The training images (the five data batches, in order) or the test images, checked against the manifest.</summary>
    public static Cifar10Images Load(string dataDir, bool train, Cifar10Manifest? manifest = null)
    {
        manifest ??= Cifar10Manifest.Read(dataDir);
        var dir = BatchesDirectory(dataDir);
        var parts = (train ? TrainFiles : [TestFile]).Select(f =>
        {
            var path = Path.Combine(dir, f);
            if (!File.Exists(path)) throw new Cifar10FormatException($"{path}: missing; get CIFAR-10 with {FetchCommand}");
            var bytes = File.ReadAllBytes(path);
            manifest.Check(f, bytes, path);
            return Parse(bytes, path);
        }).ToList();
        return new Cifar10Images(parts.SelectMany(p => p.Labels).ToArray(), parts.SelectMany(p => p.Pixels).ToArray());
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>
/// The folder's MANIFEST: where the files came from, then "&lt;sha256&gt; &lt;bytes&gt; &lt;file&gt;" per file. Written by the
/// fetcher (source "cifar-10-binary.tar.gz md5 ... verified") or by the synthetic writer (source "synthetic ...").
/// </summary>
public sealed record Cifar10Manifest(string Source, IReadOnlyDictionary<string, (string Sha256, long Bytes)> Files)
{
    const string SourcePrefix = "source: ";

    /// <summary>True when the files are not CIFAR-10 but made by <c>SyntheticCifar10</c> (tests and smoke runs).</summary>
    public bool IsSynthetic => Source.StartsWith("synthetic", StringComparison.Ordinal);

    public static Cifar10Manifest Read(string dataDir)
    {
        var path = Cifar10Files.ManifestPath(dataDir);
        if (!File.Exists(path))
            throw new Cifar10FormatException(Directory.Exists(Cifar10Files.BatchesDirectory(dataDir))
                ? $"{path}: missing, so the files beside it cannot be trusted; run {Cifar10Files.FetchCommand} again"
                : $"CIFAR-10 is not in {Cifar10Files.DirectoryFor(dataDir)}; get it with {Cifar10Files.FetchCommand}");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith(SourcePrefix, StringComparison.Ordinal))
            throw new Cifar10FormatException($"{path}: not a manifest (its first line should start with '{SourcePrefix}')");
        var files = new Dictionary<string, (string, long)>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(' ', 3);
            if (f.Length != 3 || f[0].Length != 64 || !long.TryParse(f[1], out long n) || n < 0)
                throw new Cifar10FormatException($"{path}: malformed line '{line}'");
            files[f[2]] = (f[0], n);
        }
        foreach (var name in Cifar10Files.AllFiles)
            if (!files.ContainsKey(name)) throw new Cifar10FormatException($"{path}: does not list {name}");
        return new Cifar10Manifest(lines[0][SourcePrefix.Length..], files);
    }

    /// <summary>Checks a file's length and SHA-256 against the manifest.</summary>
    public void Check(string name, ReadOnlySpan<byte> bytes, string path)
    {
        if (!Files.TryGetValue(name, out var expected)) throw new Cifar10FormatException($"{path}: not in the manifest");
        if (bytes.Length != expected.Bytes)
            throw new Cifar10FormatException($"{path}: {bytes.Length:N0} bytes, the manifest says {expected.Bytes:N0} (truncated or replaced); run {Cifar10Files.FetchCommand} again");
        var sha = Cifar10Files.Sha256(bytes);
        if (sha != expected.Sha256)
            throw new Cifar10FormatException($"{path}: SHA-256 {sha}, the manifest says {expected.Sha256} (corrupt); run {Cifar10Files.FetchCommand} again");
    }

    /// <summary>Writes the manifest of the files now in the folder (atomically).</summary>
    public static Cifar10Manifest Write(string dataDir, string source)
    {
        var files = new Dictionary<string, (string, long)>();
        foreach (var name in Cifar10Files.AllFiles)
        {
            var bytes = File.ReadAllBytes(Path.Combine(Cifar10Files.BatchesDirectory(dataDir), name));
            files[name] = (Cifar10Files.Sha256(bytes), bytes.LongLength);
        }
        var text = $"{SourcePrefix}{source}\n" + string.Concat(Cifar10Files.AllFiles.Select(n => $"{files[n].Item1} {files[n].Item2} {n}\n"));
        AtomicFile.WriteAllText(Cifar10Files.ManifestPath(dataDir), text);
        return new Cifar10Manifest(source, files);
    }
}
