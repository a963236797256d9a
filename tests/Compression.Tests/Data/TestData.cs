// Where the tests find real MNIST: REPRO_DATA or <repo>/data; fetched (idempotently) when missing.
using Datasets;

namespace Compression.Tests.Data;

public static class TestData
{
    static readonly Lazy<string> Directory = new(() =>
    {
        var dir = DataDirectory.Default();
        if (!MnistFetcher.IsComplete(dir)) MnistFetcher.Default(Console.Out).FetchAsync(dir).GetAwaiter().GetResult();
        return dir;
    });

    /// <summary>The data folder holding verified real MNIST.</summary>
    public static string MnistDataDirectory => Directory.Value;
}
