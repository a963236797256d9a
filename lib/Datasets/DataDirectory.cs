// Where data sets live: REPRO_DATA, else <repository>/data (git-ignored), else ./data.
namespace Datasets;

public static class DataDirectory
{
    public const string EnvironmentVariable = "REPRO_DATA";

    /// <summary>The repository root: the nearest folder above <paramref name="start"/> holding Reproduce.sln.</summary>
    public static string? FindRepositoryRoot(string? start = null)
    {
        foreach (var origin in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            if (origin == null) continue;
            for (var dir = new DirectoryInfo(Path.GetFullPath(origin)); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Reproduce.sln"))) return dir.FullName;
        }
        return null;
    }

    public static string Default()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        var root = FindRepositoryRoot();
        return Path.Combine(root ?? Directory.GetCurrentDirectory(), "data");
    }
}
