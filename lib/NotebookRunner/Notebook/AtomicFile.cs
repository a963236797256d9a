// Writes files so a reader never sees half of one: write a temp file in the same folder, then rename over the target.
using System.Text;

namespace NotebookRunner.Notebook;

public static class AtomicFile
{
    /// <param name="durable">Also flush to disk before the rename (survives power loss; costs milliseconds).
    /// Checkpoints during a run skip it; final outputs keep it.</param>
    public static void WriteAllText(string path, string text, bool durable = true) =>
        WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text), durable);

    public static void WriteAllBytes(string path, byte[] bytes, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
