// Downloading a file to a temporary name, verifying it, and only then moving it into place, so that a
// corrupt, truncated or interrupted download is never left under its final name.
using System.IO.Compression;
using System.Security.Cryptography;

namespace Datasets;

/// <summary>A verification failure of a downloaded or stored file.</summary>
public sealed class ChecksumMismatchException(string file, string expected, string actual)
    : IOException($"{file}: checksum mismatch (expected {expected}, got {actual}); the file was removed")
{
    public string File { get; } = file;
}

public static class Checksums
{
    public static string Md5(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(s));
    }

    public static string Sha1(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA1.HashData(s));
    }
}

/// <summary>Fetches a URI's bytes into a local file: http(s) through HttpClient, file:// by copying.</summary>
public interface IDownloader
{
    Task DownloadAsync(Uri source, string destination, CancellationToken cancel);
}

public sealed class HttpDownloader(TimeSpan timeout, TextWriter? progress = null) : IDownloader
{
    static readonly HttpClient Client = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async Task DownloadAsync(Uri source, string destination, CancellationToken cancel)
    {
        if (source.IsFile)
        {
            File.Copy(source.LocalPath, destination, overwrite: true);
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        cts.CancelAfter(timeout);
        using var response = await Client.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.EnsureSuccessStatusCode();
        long? total = response.Content.Headers.ContentLength;
        await using var input = await response.Content.ReadAsStreamAsync(cts.Token);
        await using var output = File.Create(destination);
        var buffer = new byte[1 << 16];
        long done = 0, lastReport = 0;
        int n;
        while ((n = await input.ReadAsync(buffer, cts.Token)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, n), cts.Token);
            done += n;
            if (progress != null && done - lastReport > (4 << 20))
            {
                lastReport = done;
                progress.WriteLine(total is long t ? $"  {done >> 20} / {t >> 20} MiB" : $"  {done >> 20} MiB");
            }
        }
        if (total is long expected && done != expected)
            throw new IOException($"{source}: truncated download ({done} of {expected} bytes)");
    }
}

public static class AtomicFile
{
    /// <summary>Moves a finished temporary file to its final name (an atomic rename on one file system).</summary>
    public static void Commit(string temporary, string final) => File.Move(temporary, final, overwrite: true);

    /// <summary>Writes bytes to a temporary file beside the target and renames it into place.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        using (var f = File.Create(temp)) f.Write(bytes);
        Commit(temp, path);
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Gunzips a file into another through a temporary name.</summary>
    public static void Gunzip(string gz, string destination)
    {
        var temp = destination + ".part";
        using (var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
        using (var output = File.Create(temp))
            input.CopyTo(output);
        Commit(temp, destination);
    }
}
