// The compressed files committed under results/ (version 1, MIRACLE's version 2), for tests that pin the format against real files.
using Datasets;

namespace Compression.Tests.Format;

static class CommittedFiles
{
    public static string Root => DataDirectory.FindRepositoryRoot() ?? throw new InvalidOperationException("no repository root (Reproduce.sln) above the tests");

    /// <summary>Every results/**/*.epr and *.eprc, in a fixed order.</summary>
    public static IReadOnlyList<string> All() =>
        Directory.EnumerateFiles(Path.Combine(Root, "results"), "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".epr", StringComparison.Ordinal) || p.EndsWith(".eprc", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
}
