// TorchSharp's own weights format (Module.save / Module.load): LEB128 count, then per tensor a .NET BinaryWriter
// string (its name), LEB128 dtype (TorchSharp's ScalarType number), LEB128 rank, LEB128 dimensions, raw bytes. Written
// by TorchSharp's Module.save_state_dict; read here with every count checked against the bytes left in the file.
using System.Text;
using static TorchSharp.torch;

namespace Compression.Interop;

static class TorchSharpFile
{
    static readonly ScalarType[] Known =
    [
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Int32,
        ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    ];

    public static TensorFile Read(string path, Stream stream, long maxBytes)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            long Left() => stream.Length - stream.Position;
            long count = Leb128(reader);
            if (count > Left()) throw new WeightsFileException(path, $"declares {count:N0} tensors in {Left():N0} bytes: not a TorchSharp weights file");
            long total = 0;
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                if (!names.Add(name)) throw new WeightsFileException(path, $"tensor '{name}' appears twice");
                long code = Leb128(reader);
                if (code > sbyte.MaxValue || !Known.Contains((ScalarType)code)) throw new WeightsFileException(path, $"tensor '{name}': unknown dtype number {code}");
                var dtype = (ScalarType)code;
                long rank = Leb128(reader);
                if (rank > 64) throw new WeightsFileException(path, $"tensor '{name}': rank {rank}");
                var shape = new long[rank];
                // the product of the dimensions (a zero counted as one, so that no dimension can be absurd) must fit in the file
                long bytes = SafetensorsFile.ElementSize(dtype), bound = bytes;
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = Leb128(reader);
                    long factor = Math.Max(1, shape[d]);
                    if (bound > Math.Max(Left(), 1) / factor) throw new WeightsFileException(path, $"tensor '{name}': shape [{string.Join(", ", shape.Take(d + 1))}{(d + 1 < rank ? ", ..." : "")}] needs more than the {Left():N0} bytes left in the file");
                    bound *= factor;
                    bytes *= shape[d];
                }
                if (bytes > Left()) throw new WeightsFileException(path, $"tensor '{name}': {bytes:N0} bytes of data, {Left():N0} left in the file");
                total += bytes;
                if (total > maxBytes) throw new WeightsFileException(path, $"the tensors declare more than {maxBytes:N0} bytes (the import's bound; see ImportOptions.MaxBytes)");
                var t = empty(shape, dtype);
                tensors.Add(new(name, t));
                t.ReadBytesFromStream(stream);
            }
            if (Left() != 0) throw new WeightsFileException(path, $"{Left():N0} bytes after the last tensor: not a TorchSharp weights file");
            return new TensorFile(path, WeightsFormat.TorchSharp, tensors, []);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException && e is not WeightsFileException)
        {
            foreach (var kv in tensors) kv.Value.Dispose();
            throw new WeightsFileException(path, $"truncated or not a TorchSharp weights file ({e.Message})");
        }
        catch
        {
            foreach (var kv in tensors) kv.Value.Dispose();
            throw;
        }
    }

    /// <summary>An unsigned LEB128 number of at most 63 bits.</summary>
    static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("a LEB128 number longer than 63 bits");
    }

    /// <summary>The file's bytes: TorchSharp's Module.save_state_dict, so Module.load reads it.</summary>
    public static byte[] Write(IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
            TorchSharp.torch.nn.Module.save_state_dict(writer, tensors.ToDictionary(kv => kv.Key, kv => kv.Value));
        return memory.ToArray();
    }
}
