// Paths in notebooks are relative to the repository root, so a notebook runs the same from notebooks/, from
// results/notebooks/<budget>/ (committed executed copies) or from artifacts/<budget>/: the root is the nearest
// folder above the working directory (Jupyter's and the runner's: the notebook's folder) that holds Reproduce.sln.
namespace Compression.Notebooks;

public static class Repository
{
    public const string Marker = "Reproduce.sln";

    /// <summary>The repository root above <paramref name="from"/> (default: the working directory).</summary>
    public static string Root(string? from = null)
    {
        var start = System.IO.Path.GetFullPath(from ?? Environment.CurrentDirectory);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, Marker))) return dir.FullName;
        throw new DirectoryNotFoundException(
            $"no {Marker} in {start} or any folder above it: open the notebook from inside the repository (its notebooks/ folder)");
    }

    /// <summary>
    /// An absolute path as it is; a relative one taken from the repository root and given back relative to the working
    /// directory (the notebook's folder: "../data"), so that what a notebook prints holds no path of this machine.
    /// </summary>
    public static string Path(string path, string? from = null)
    {
        if (System.IO.Path.IsPathRooted(path)) return path;
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root(from), path));
        return System.IO.Path.GetRelativePath(Environment.CurrentDirectory, full).Replace('\\', '/');
    }
}
