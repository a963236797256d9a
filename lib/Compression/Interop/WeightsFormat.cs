// The weight-file formats the package reads and writes (see WeightsFile):
//   Safetensors  "<name>.safetensors": an 8-byte little-endian header length, a JSON header {name: {dtype, shape,
//                data_offsets}}, then the raw little-endian bytes of every tensor (Hugging Face's format).
//   PyTorch      "<name>.pt" / ".pth" / ".bin": what torch.save(model.state_dict(), path) writes since PyTorch 1.6, a zip
//                archive holding a pickled dict (data.pkl) and one entry of raw bytes per storage (data/0, data/1, ...).
//   TorchSharp   "<name>.dat": what TorchSharp's Module.save writes: a LEB128 count, then per tensor its name (a .NET
//                BinaryWriter string), dtype, shape (LEB128) and raw bytes.
// Reading looks at the file's first bytes, not its name; writing takes the format from the name unless told.
namespace Compression.Interop;

public enum WeightsFormat
{
    Safetensors,
    PyTorch,
    TorchSharp,
}

public static class WeightsFormats
{
    /// <summary>The conventional extension of a format, with its dot.</summary>
    public static string Extension(WeightsFormat format) => format switch
    {
        WeightsFormat.Safetensors => ".safetensors",
        WeightsFormat.PyTorch => ".pt",
        WeightsFormat.TorchSharp => ".dat",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The format a path's extension names: .safetensors, .pt/.pth/.bin (torch.save), .dat (TorchSharp); null for any other.</summary>
    public static WeightsFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => WeightsFormat.Safetensors,
        ".pt" or ".pth" or ".bin" => WeightsFormat.PyTorch,
        ".dat" => WeightsFormat.TorchSharp,
        _ => null,
    };

    /// <summary>A format by name as a user types it (safetensors, pt, pytorch, torch, torchsharp, dat).</summary>
    public static WeightsFormat Parse(string name) => name.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "safetensors" => WeightsFormat.Safetensors,
        "pt" or "pth" or "pytorch" or "torch" => WeightsFormat.PyTorch,
        "torchsharp" or "dat" => WeightsFormat.TorchSharp,
        _ => throw new ArgumentException($"unknown weights format '{name}' (safetensors, pt, torchsharp)"),
    };

    /// <summary>torch.save's legacy (pre-1.6) files begin by pickling this magic number: PROTO 2, LONG1 of 10 bytes.</summary>
    static ReadOnlySpan<byte> LegacyMagic => [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19];

    /// <summary>
    /// The format of a file from its first bytes: a zip archive is torch.save's; a little-endian length followed by '{'
    /// is safetensors (when the length fits the file, or the name ends in .safetensors); torch.save's legacy format (a pickled magic number, not a zip) is refused with advice; anything
    /// else is tried as TorchSharp's.
    /// </summary>
    public static WeightsFormat Detect(ReadOnlySpan<byte> head, long fileLength, string path)
    {
        if (head.Length >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04) return WeightsFormat.PyTorch;
        if (head.Length >= 9 && head[8] == (byte)'{' &&
            (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)Math.Max(0, fileLength - 8) || FromExtension(path) == WeightsFormat.Safetensors))
            return WeightsFormat.Safetensors;
        if (head.StartsWith(LegacyMagic))
            throw new WeightsFileException(path, "a pickle without a zip archive: torch.save's legacy format (PyTorch before 1.6); " +
                                                 "load it in PyTorch and save it again with torch.save(state_dict, path) or as safetensors");
        if (fileLength == 0) throw new WeightsFileException(path, "the file is empty");
        return WeightsFormat.TorchSharp;
    }
}
