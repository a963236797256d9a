// Gets CIFAR-10's binary version into <data>/cifar10: from an archive the user already has (--archive, or
// cifar-10-binary.tar.gz in <data> or <data>/cifar10), else downloaded from the mirrors. The archive's length, MD5 and
// SHA-256 are checked before anything is extracted; the six batch files and batches.meta.txt are extracted (nothing
// else, no paths from the archive are used), each checked record by record, moved into place, and the MANIFEST with
// their SHA-256 written last. A folder of already-extracted files (--from) is accepted after the same record checks,
// and the manifest says that no archive checksum vouched for it. A second run finds everything and does nothing.
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Datasets;

public sealed class Cifar10Fetcher(IDownloader downloader, TextWriter log)
{
    public IReadOnlyList<Uri> Mirrors { get; init; } = Cifar10Files.Mirrors;
    public long ExpectedBytes { get; init; } = Cifar10Files.ArchiveBytes;
    public string ExpectedMd5 { get; init; } = Cifar10Files.ArchiveMd5;
    public string ExpectedSha256 { get; init; } = Cifar10Files.ArchiveSha256;
    /// <summary>Records every file must hold (10,000 in CIFAR-10; tests use archives of a few).</summary>
    public int RecordsPerFile { get; init; } = Cifar10Files.OfficialRecordsPerFile;

    public static Cifar10Fetcher Default(TextWriter? log = null) =>
        new(new HttpDownloader(TimeSpan.FromMinutes(30), log ?? TextWriter.Null), log ?? TextWriter.Null);

    /// <summary>True when the manifest and every file it lists are present and match.</summary>
    public static bool IsComplete(string dataDir)
    {
        try
        {
            var manifest = Cifar10Manifest.Read(dataDir);
            foreach (var name in Cifar10Files.AllFiles)
            {
                var path = Path.Combine(Cifar10Files.BatchesDirectory(dataDir), name);
                if (!File.Exists(path)) return false;
                manifest.Check(name, File.ReadAllBytes(path), path);
            }
            return !manifest.IsSynthetic;
        }
        catch (Cifar10FormatException) { return false; }
    }

    /// <summary>Fetches (or finds) the data; <paramref name="archive"/> or <paramref name="extracted"/> name what the user has.</summary>
    public async Task<string> FetchAsync(string dataDir, string? archive = null, string? extracted = null, CancellationToken cancel = default)
    {
        var dir = Cifar10Files.DirectoryFor(dataDir);
        if (archive is null && extracted is null && IsComplete(dataDir))
        {
            log.WriteLine($"CIFAR-10: present and verified in {dir}");
            return dir;
        }
        Directory.CreateDirectory(dir);
        if (extracted != null) return CopyExtracted(dataDir, extracted);
        archive ??= new[] { Path.Combine(dataDir, Cifar10Files.ArchiveName), Path.Combine(dir, Cifar10Files.ArchiveName) }.FirstOrDefault(File.Exists);
        if (archive != null)
        {
            if (!File.Exists(archive)) throw new FileNotFoundException($"{archive}: no such file (the CIFAR-10 binary archive, {Cifar10Files.ArchiveName})", archive);
            VerifyArchive(archive);
            Extract(dataDir, archive, $"{Cifar10Files.ArchiveName} md5 {ExpectedMd5} sha256 {ExpectedSha256} verified ({Path.GetFullPath(archive)})");
            return dir;
        }
        var part = Path.Combine(dir, Cifar10Files.ArchiveName + ".part");
        var failures = new List<string>();
        foreach (var mirror in Mirrors)
        {
            try
            {
                log.WriteLine($"CIFAR-10: downloading {mirror}");
                await downloader.DownloadAsync(mirror, part, cancel);
                VerifyArchive(part);
                var final = Path.Combine(dir, Cifar10Files.ArchiveName);
                AtomicFile.Commit(part, final);
                Extract(dataDir, final, $"{Cifar10Files.ArchiveName} md5 {ExpectedMd5} sha256 {ExpectedSha256} verified, from {mirror}");
                return dir;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException)
            {
                failures.Add($"{mirror}: {e.Message.Split('\n')[0]}");
                log.WriteLine($"CIFAR-10: {mirror} failed: {e.Message.Split('\n')[0]}");
            }
            finally { if (File.Exists(part)) File.Delete(part); }
        }
        throw new IOException($"CIFAR-10 could not be fetched from any mirror:\n  {string.Join("\n  ", failures)}\n" +
                              $"Download {Cifar10Files.ArchiveName} (md5 {ExpectedMd5}) by other means and run: make data-cifar10 CIFAR10_ARCHIVE=<path>");
    }

    void VerifyArchive(string path)
    {
        long length = new FileInfo(path).Length;
        if (length != ExpectedBytes)
            throw new InvalidDataException($"{path}: {length:N0} bytes, the CIFAR-10 binary archive has {ExpectedBytes:N0} (truncated, or another file)");
        using var stream = File.OpenRead(path);
        using var md5 = MD5.Create();
        using var sha = SHA256.Create();
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer)) > 0) { md5.TransformBlock(buffer, 0, n, null, 0); sha.TransformBlock(buffer, 0, n, null, 0); }
        md5.TransformFinalBlock(buffer, 0, 0);
        sha.TransformFinalBlock(buffer, 0, 0);
        string gotMd5 = Convert.ToHexStringLower(md5.Hash!), gotSha = Convert.ToHexStringLower(sha.Hash!);
        if (gotMd5 != ExpectedMd5) throw new ChecksumMismatchException(path, ExpectedMd5, gotMd5);
        if (gotSha != ExpectedSha256) throw new ChecksumMismatchException(path, ExpectedSha256, gotSha);
        log.WriteLine($"CIFAR-10: {path}: length, MD5 and SHA-256 verified");
    }

    void Extract(string dataDir, string archive, string source)
    {
        var batches = Cifar10Files.BatchesDirectory(dataDir);
        Directory.CreateDirectory(batches);
        var wanted = Cifar10Files.AllFiles.Append(Cifar10Files.MetaFile).ToHashSet();
        var found = new HashSet<string>();
        try
        {
            using (var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
            using (var tar = new TarReader(gz))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    // Only "cifar-10-batches-bin/<wanted name>" regular files; every other entry is skipped.
                    var parts = entry.Name.Split('/');
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null ||
                        parts.Length != 2 || parts[0] != Cifar10Files.BatchesFolder || !wanted.Contains(parts[1])) continue;
                    using var output = File.Create(Path.Combine(batches, parts[1] + ".part"));
                    entry.DataStream.CopyTo(output);
                    found.Add(parts[1]);
                }
            }
            var missing = wanted.Except(found).ToList();
            if (missing.Count > 0) throw new InvalidDataException($"{archive}: lacks {string.Join(", ", missing)}");
            foreach (var name in Cifar10Files.AllFiles)
            {
                var part = Path.Combine(batches, name + ".part");
                var images = Cifar10Files.Parse(File.ReadAllBytes(part), part);
                if (images.Count != RecordsPerFile) throw new InvalidDataException($"{name}: {images.Count} records, expected {RecordsPerFile}");
            }
            foreach (var name in wanted) AtomicFile.Commit(Path.Combine(batches, name + ".part"), Path.Combine(batches, name));
            Cifar10Manifest.Write(dataDir, source);
            log.WriteLine($"CIFAR-10: extracted into {batches}");
        }
        finally
        {
            foreach (var name in wanted) { var p = Path.Combine(batches, name + ".part"); if (File.Exists(p)) File.Delete(p); }
        }
    }

    string CopyExtracted(string dataDir, string from)
    {
        var source = Directory.Exists(Path.Combine(from, Cifar10Files.BatchesFolder)) ? Path.Combine(from, Cifar10Files.BatchesFolder) : from;
        var batches = Cifar10Files.BatchesDirectory(dataDir);
        if (Path.GetFullPath(source).TrimEnd('/') == Path.GetFullPath(batches).TrimEnd('/'))
            throw new ArgumentException($"{from} is the destination itself; point --from at another folder, or remove {Cifar10Files.ManifestPath(dataDir)} and fetch again");
        foreach (var name in Cifar10Files.AllFiles)
        {
            var path = Path.Combine(source, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing (a CIFAR-10 binary folder holds {string.Join(", ", Cifar10Files.AllFiles)})", path);
            var images = Cifar10Files.Parse(File.ReadAllBytes(path), path);
            if (images.Count != RecordsPerFile) throw new InvalidDataException($"{path}: {images.Count} records, the official files have {RecordsPerFile}");
        }
        Directory.CreateDirectory(batches);
        foreach (var name in Cifar10Files.AllFiles)
        {
            var part = Path.Combine(batches, name + ".part");
            File.Copy(Path.Combine(source, name), part, overwrite: true);
            AtomicFile.Commit(part, Path.Combine(batches, name));
        }
        Cifar10Manifest.Write(dataDir, $"extracted files copied from {Path.GetFullPath(source)}: every record checked; no archive checksum vouches for them");
        log.WriteLine($"CIFAR-10: copied from {source} into {batches} (records checked; fetch the archive to have its checksum verified)");
        return Cifar10Files.DirectoryFor(dataDir);
    }
}
