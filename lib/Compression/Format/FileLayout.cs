// Constants of the compressed-model file layout (version 1) and the bounds its reader enforces.
//   "EPRC" | version byte | architecture | method | varint #groups | groups | varint #side | side tensors | CRC-32 (LE)
//   string = varint byte length + UTF-8; group = name, varint columns, varint #tensors, (name, varint rank, varint
//   dims) per tensor, decoder-kind byte, varint length + decoder parameters, Columns CdfTables, varint length +
//   bitstream; side tensor = name, varint rank, varint dims, float32 little-endian values.
namespace Compression.Format;

public static class FileLayout
{
    public static ReadOnlySpan<byte> Magic => "EPRC"u8;

    public const byte Version = 1;

    /// <summary>Longest architecture, method or tensor name, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 1024;

    /// <summary>Most dimensions a tensor may have.</summary>
    public const int MaxRank = 16;

    public const int ChecksumBytes = 4;

    /// <summary>Smallest possible file: magic, version, two empty strings, two zero counts, checksum.</summary>
    public const int MinimumBytes = 4 + 1 + 1 + 1 + 1 + 1 + ChecksumBytes;
}
