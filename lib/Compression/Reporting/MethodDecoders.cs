// Which decompressor reads a compressed model, by the method named in the file and in summary.json.
// `verify` dispatches through it; each method registers its own decoder (EPR is built in).
using Compression.Epr;
using Compression.Format;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Reporting;

public static class MethodDecoders
{
    /// <summary>Parameters (architecture order) decoded from a compressed model.</summary>
    public delegate IReadOnlyList<Tensor> Decoder(CompressedModel model, Architecture architecture);

    static readonly Dictionary<string, Decoder> decoders = new(StringComparer.OrdinalIgnoreCase)
    {
        [EprCompressor.Method] = (model, architecture) => EprCompressor.Decompress(model, architecture),
        [SoftWeightSharing.SwsCodec.Method] = (model, architecture) => SoftWeightSharing.SwsCodec.Decompress(model, architecture),
    };

    public static IReadOnlyCollection<string> Methods => decoders.Keys;

    /// <summary>Adds (or replaces) the decoder of a method, e.g. "sws".</summary>
    public static void Register(string method, Decoder decoder) => decoders[method] = decoder;

    public static IReadOnlyList<Tensor> Decode(string method, CompressedModel model, Architecture architecture) =>
        decoders.TryGetValue(method, out var d)
            ? d(model, architecture)
            : throw new KeyNotFoundException($"no decoder registered for method '{method}' (known: {string.Join(", ", decoders.Keys)})");
}
