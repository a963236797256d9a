// Architectures by the id a compressed file names, for tools that start from a file (`verify`, `decompress`,
// `inspect`). Open: each architecture registers itself (the package's own from a module initializer in their
// files), and users add theirs with Register. Training, compressing and decoding in code take the object itself.
using System.Collections.Concurrent;

namespace Compression.Models;

public static class Architectures
{
    static readonly ConcurrentDictionary<string, Func<Architecture>> factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds (or replaces) the factory for an id.</summary>
    public static void Register(string id, Func<Architecture> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(factory);
        factories[id] = factory;
    }

    public static IReadOnlyCollection<string> Known => factories.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool TryCreate(string id, out Architecture? architecture)
    {
        architecture = factories.TryGetValue(id, out var f) ? f() : null;
        return architecture != null;
    }

    /// <summary>A new instance of the architecture registered as <paramref name="id"/>; a clear error when none is.</summary>
    public static Architecture Create(string id) =>
        TryCreate(id, out var a) ? a!
        : throw new ArgumentException($"unknown architecture '{id}' (registered: {string.Join(", ", Known)}); " +
                                      "a network of your own is passed as an object, or registered with Architectures.Register");
}
