// Names of the parts a compressed-model file's bytes are accounted to (the Part column of SizeBreakdown).
namespace Compression.Format;

public static class SizePart
{
    /// <summary>Magic, version, architecture and method strings, group, side-tensor and raw-payload counts.</summary>
    public const string Header = "header";
    /// <summary>Per group: name, columns, tensor names and shapes, decoder kind, length prefixes.</summary>
    public const string GroupRecord = "group record";
    public const string DecoderParameters = "decoder parameters";
    public const string Tables = "tables";
    public const string Bitstream = "bitstream";
    /// <summary>Per parameter side tensor: name, kind (version 2) and shape.</summary>
    public const string SideRecord = "side record";
    /// <summary>Per parameter side tensor: the float32 values.</summary>
    public const string SideValues = "side values";
    /// <summary>Per state side tensor (not counted by the papers): name, kind and shape.</summary>
    public const string StateRecord = "state record";
    /// <summary>Per state side tensor (not counted by the papers): the float32 values.</summary>
    public const string StateValues = "state values";
    /// <summary>Per raw payload: name and bit length.</summary>
    public const string RawRecord = "raw record";
    /// <summary>Per raw payload: its bytes.</summary>
    public const string RawPayload = "raw payload";
    public const string Checksum = "checksum";

    /// <summary>Parts the papers leave out of a network's size (see <see cref="SizeBreakdown.PaperComparableBytes"/>).</summary>
    public static IReadOnlyList<string> NotCountedByPapers { get; } = [StateRecord, StateValues];
}
