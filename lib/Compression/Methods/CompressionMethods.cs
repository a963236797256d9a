// The open registry of method decoders, keyed by the id files store. The package's methods register themselves
// when the library loads (a module initializer beside each decoder); a user's method registers with Register.
using System.Collections.Concurrent;
using Compression.Format;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Methods;

public static class CompressionMethods
{
    static readonly ConcurrentDictionary<string, IMethodDecoder> decoders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds (or replaces) the decoder of a method.</summary>
    public static void Register(IMethodDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentException.ThrowIfNullOrWhiteSpace(decoder.Id);
        decoders[decoder.Id] = decoder;
    }

    public static IReadOnlyCollection<string> Known => decoders.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool TryGet(string id, out IMethodDecoder? decoder) => decoders.TryGetValue(id, out decoder);

    /// <summary>The decoder registered for <paramref name="id"/>; a clear error when none is.</summary>
    public static IMethodDecoder Get(string id) =>
        decoders.TryGetValue(id, out var d) ? d
        : throw new KeyNotFoundException($"no decoder registered for method '{id}' (registered: {string.Join(", ", Known)})");

    /// <summary>A method's name for people ("EPR"), or the id itself when it is not registered.</summary>
    public static string DisplayName(string id) => decoders.TryGetValue(id, out var d) ? d.DisplayName : id;

    /// <summary>Decodes a model with the decoder of the method it names.</summary>
    public static NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null)
    {
        if (!decoders.TryGetValue(model.Method, out var decoder))
            throw new CorruptModelFileException($"unknown method '{model.Method}' (registered: {string.Join(", ", Known)})", -1, "method");
        return decoder.Decode(model, architecture, device);
    }
}
