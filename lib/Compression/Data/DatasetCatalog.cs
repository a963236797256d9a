// Data sets by the name summaries store, for tools that start from a results folder (`verify`). Open: each data
// set registers its loader (MNIST below, CIFAR-10 and ImageNet beside their readers), users add theirs.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Compression.Data;

public static class DatasetCatalog
{
    static readonly ConcurrentDictionary<string, Func<string, IDataset>> loaders = new(StringComparer.OrdinalIgnoreCase);

#pragma warning disable CA2255 // the package's own data set registers itself when the library loads
    [ModuleInitializer]
    internal static void RegisterMnist() => Register(Mnist.Name, dataDir => Mnist.Load(dataDir));
#pragma warning restore CA2255

    /// <summary>Adds (or replaces) the loader of a data set: a function of the data directory.</summary>
    public static void Register(string name, Func<string, IDataset> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(load);
        loaders[name] = load;
    }

    public static IReadOnlyCollection<string> Known => loaders.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The data set <paramref name="name"/> loaded from <paramref name="dataDir"/>.</summary>
    public static IDataset Load(string name, string dataDir) =>
        loaders.TryGetValue(name, out var load) ? load(dataDir)
        : throw new ArgumentException($"unknown data set '{name}' (registered: {string.Join(", ", Known)})");
}
