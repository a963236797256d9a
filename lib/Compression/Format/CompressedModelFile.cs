// Reading and writing compressed-model files. Writes are atomic (a temp file beside the target, flushed, then
// renamed over it), so an interrupted write never leaves a partial file under the final name; reads trust
// nothing and fail only with CorruptModelFileException (or the file system's own IOExceptions).
namespace Compression.Format;

public static class CompressedModelFile
{
    /// <summary>Suggested file name extension.</summary>
    public const string Extension = ".eprc";

    /// <summary>The file's bytes. Throws ArgumentException for a model the format cannot hold.</summary>
    public static byte[] ToBytes(CompressedModel model) => ModelFileWriter.Write(model).ToArray();

    /// <summary>Parses a file's bytes; throws <see cref="CorruptModelFileException"/> on any defect.</summary>
    public static CompressedModel FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return ModelFileReader.Read(bytes);
    }

    public static CompressedModel Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return ModelFileReader.Read(bytes);
        }
        catch (CorruptModelFileException e)
        {
            throw e.WithFilePath(path);
        }
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (creating its folder if needed).</summary>
    public static void Write(CompressedModel model, string path) => Write(model, path, beforeRename: null);

    /// <summary>As <see cref="Write(CompressedModel, string)"/>; <paramref name="beforeRename"/> (tests) runs on the finished temp file.</summary>
    internal static void Write(CompressedModel model, string path, Action<string>? beforeRename)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ToBytes(model);
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{path} names no file", nameof(path));
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        bool renamed = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(temp);
            File.Move(temp, target, overwrite: true);
            renamed = true;
        }
        finally
        {
            if (!renamed) TryDelete(temp);
        }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The stretches of <paramref name="model"/>'s file in order, each attributed to a part of a group or tensor (tests, fuzzing).</summary>
    internal static IReadOnlyList<FileSpan> Layout(CompressedModel model) => ModelFileWriter.Write(model).Spans;

    /// <summary>Where the bytes of <paramref name="model"/>'s file go; see <see cref="SizeBreakdown.Of"/>.</summary>
    public static SizeBreakdown Sizes(CompressedModel model, bool estimateSelfInformation = true) =>
        SizeBreakdown.Of(model, estimateSelfInformation);
}
