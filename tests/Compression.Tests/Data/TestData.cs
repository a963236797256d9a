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

    static readonly Lazy<Compression.Data.TensorDataset> MnistData = new(() => Compression.Data.Mnist.Load(Directory.Value));

    /// <summary>Real MNIST on the CPU, loaded once per test process (never dispose it).</summary>
    public static Compression.Data.TensorDataset Mnist => MnistData.Value;

    /// <summary>The first <paramref name="train"/> training and <paramref name="test"/> test examples of <see cref="Mnist"/>.</summary>
    public static Compression.Data.IDataset MnistSubset(int? train, int? test) => Compression.Data.DatasetView.Limit(Mnist, train, test);
}
