// Safetensors (Hugging Face): u64 little-endian N, N bytes of JSON {name: {"dtype", "shape", "data_offsets": [begin,
// end]}, "__metadata__": {...}}, then the data region. The header is checked here before TorchSharp.PyBridge reads the
// data: every dtype known, every shape's byte count equal to its offsets' span, the spans tiling the data region with
// no gap or overlap (as the reference implementation requires), and the total within the caller's bound. Writing goes
// through PyBridge.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Compression.Interop;

static class SafetensorsFile
{
    /// <summary>The reference implementation's limit on the header.</summary>
    const long MaxHeaderBytes = 100_000_000;

    public static readonly IReadOnlyDictionary<string, ScalarType> DTypes = new Dictionary<string, ScalarType>
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    public static TensorFile Read(string path, Stream stream, long maxBytes)
    {
        var entries = Header(path, stream, maxBytes);
        stream.Position = 0;
        Dictionary<string, Tensor> loaded;
        try { loaded = Safetensors.LoadStateDict(stream, leaveOpen: true); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsFileException(path, $"safetensors data unreadable ({e.GetType().Name}: {e.Message})");
        }
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new KeyValuePair<string, Tensor>(e.Name, loaded[e.Name])).ToList();
        return new TensorFile(path, WeightsFormat.Safetensors, ordered, []);
    }

    static List<Entry> Header(string path, Stream stream, long maxBytes)
    {
        long length = stream.Length;
        if (length < 8) throw new WeightsFileException(path, $"{length} bytes: too short for a safetensors header");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerBytes > (ulong)(length - 8) || headerBytes > MaxHeaderBytes)
            throw new WeightsFileException(path, $"the safetensors header claims {headerBytes} bytes, the file has {length - 8} after the length");
        var json = new byte[headerBytes];
        stream.ReadExactly(json);
        long dataBytes = length - 8 - (long)headerBytes;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new WeightsFileException(path, $"the safetensors header is not JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new WeightsFileException(path, "the safetensors header is not a JSON object");
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            long total = 0;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(p.Name)) throw new WeightsFileException(path, $"tensor '{p.Name}' appears twice in the header");
                if (p.Name == "__metadata__") continue;
                var e = Parse(path, p, maxBytes);
                total += e.End - e.Begin;
                if (total > maxBytes) throw new WeightsFileException(path, $"the tensors declare more than {maxBytes:N0} bytes (the import's bound; see ImportOptions.MaxBytes)");
                entries.Add(e);
            }
            // the spans must tile the data region: sorted by offset, each begins where the previous ended
            long expected = 0;
            foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (e.Begin != expected)
                    throw new WeightsFileException(path, e.Begin < expected ? $"tensor '{e.Name}' overlaps another (offset {e.Begin})" : $"a gap before tensor '{e.Name}' (bytes {expected}..{e.Begin})");
                expected = e.End;
            }
            if (expected != dataBytes)
                throw new WeightsFileException(path, $"the header describes {expected:N0} bytes of data, the file holds {dataBytes:N0}");
            return entries;
        }
    }

    static Entry Parse(string path, JsonProperty p, long maxBytes)
    {
        [System.Diagnostics.CodeAnalysis.DoesNotReturn] void Bad(string what) => throw new WeightsFileException(path, $"tensor '{p.Name}': {what}");
        var v = p.Value;
        if (v.ValueKind != JsonValueKind.Object) Bad("not a JSON object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) Bad("no dtype");
        if (!DTypes.TryGetValue(dt.GetString()!, out var dtype)) Bad($"dtype '{dt.GetString()}' is not one of {string.Join(", ", DTypes.Keys)}");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) Bad("no shape");
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2) Bad("no data_offsets [begin, end]");
        var shape = sh.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long x) && x >= 0 ? x : -1).ToArray();
        if (shape.Length > 64 || shape.Any(d => d < 0)) Bad($"shape {sh.GetRawText()} is not a list of at most 64 non-negative integers");
        long begin = off[0].TryGetInt64(out long b) ? b : -1, end = off[1].TryGetInt64(out long en) ? en : -1;
        if (begin < 0 || end < begin) Bad($"data_offsets {off.GetRawText()} are not 0 <= begin <= end");
        // the product of the dimensions, a zero counted as one (so that no dimension can be absurd), within the bound
        long bytes = ElementSize(dtype), bound = bytes;
        foreach (var d in shape)
        {
            if (bound > maxBytes / Math.Max(1, d)) Bad($"shape {sh.GetRawText()} declares more than {maxBytes:N0} bytes (the import's bound)");
            bound *= Math.Max(1, d);
            bytes *= d;
        }
        if (bytes != end - begin) Bad($"shape {sh.GetRawText()} of {dt.GetString()} takes {bytes} bytes, its data_offsets span {end - begin}");
        return new Entry(p.Name, dtype, shape, begin, end);
    }

    internal static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a safetensors dtype"),
    };

    /// <summary>The file's bytes: PyBridge's writer (tensors in the given order, offsets contiguous).</summary>
    public static byte[] Write(IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        using var memory = new MemoryStream();
        Safetensors.SaveStateDict(memory, tensors.ToDictionary(kv => kv.Key, kv => kv.Value), leaveOpen: true);
        return memory.ToArray();
    }
}
