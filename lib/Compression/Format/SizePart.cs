// Names of the parts a compressed-model file's bytes are accounted to (the Part column of SizeBreakdown).
namespace Compression.Format;

public static class SizePart
{
    /// <summary>Magic, version, architecture and method strings, group and side-tensor counts.</summary>
    public const string Header = "header";
    /// <summary>Per group: name, columns, tensor names and shapes, decoder kind, length prefixes.</summary>
    public const string GroupRecord = "group record";
    public const string DecoderParameters = "decoder parameters";
    public const string Tables = "tables";
    public const string Bitstream = "bitstream";
    /// <summary>Per side tensor: name and shape.</summary>
    public const string SideRecord = "side record";
    /// <summary>Per side tensor: the float32 values.</summary>
    public const string SideValues = "side values";
    public const string Checksum = "checksum";
}
