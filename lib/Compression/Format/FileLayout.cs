// Constants of the compressed-model file layout (versions 1 and 2, see FORMAT.md) and the bounds its reader enforces.
//   "EPRC" | version byte | architecture | method | varint #groups | groups | varint #side | side tensors
//          | (version 2) varint #raw | raw payloads | CRC-32 (LE)
//   string = varint byte length + UTF-8; group = name, varint columns, varint #tensors, (name, varint rank, varint
//   dims) per tensor, decoder-kind byte, varint length + decoder parameters, Columns CdfTables, varint length +
//   bitstream; side tensor = name, (version 2) kind byte, varint rank, varint dims, float32 little-endian values;
//   raw payload = name, varint bit length, ceil(bits / 8) bytes.
namespace Compression.Format;

public static class FileLayout
{
    public static ReadOnlySpan<byte> Magic => "EPRC"u8;

    /// <summary>Coded groups and parameter side tensors only; written whenever a model needs nothing more.</summary>
    public const byte Version1 = 1;

    /// <summary>Adds side-tensor kinds (parameter or state) and raw payloads.</summary>
    public const byte Version2 = 2;

    /// <summary>Longest architecture, method or tensor name, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 1024;

    /// <summary>Most dimensions a tensor may have.</summary>
    public const int MaxRank = 16;

    public const int ChecksumBytes = 4;

    /// <summary>Smallest possible file: magic, version, two empty strings, two zero counts, checksum.</summary>
    public const int MinimumBytes = 4 + 1 + 1 + 1 + 1 + 1 + ChecksumBytes;

    /// <summary>The version a model needs: 2 when it holds state side tensors or raw payloads, else 1.</summary>
    public static byte VersionFor(CompressedModel model) =>
        model.RawPayloads.Count > 0 || model.SideTensors.Any(s => s.Kind != SideTensorKind.Parameter) ? Version2 : Version1;
}
