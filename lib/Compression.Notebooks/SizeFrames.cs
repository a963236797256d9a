// The size table of a compressed-model file as Deedle frames, which notebooks display as HTML tables.
using Compression.Format;
using Deedle;

namespace Compression.Notebooks;

public static class SizeFrames
{
    /// <summary>One row per (part, group): Part, Group, Bytes, Percent (of the file, 2 decimals), and for bitstream rows SelfInformationBytes (missing elsewhere).</summary>
    public static Frame<int, string> ToFrame(this SizeBreakdown sizes)
    {
        var estimates = sizes.Groups.ToDictionary(g => g.Group, g => g.SelfInformationBytes);
        var records = sizes.Rows.Select(r => new FrameRow(r.Part, r.Group, r.Bytes, Math.Round(sizes.Percent(r.Bytes), 2),
            r.Part == SizePart.Bitstream && estimates.TryGetValue(r.Group, out double e) ? e : double.NaN));
        return Frame.FromRecords(records);
    }

    /// <summary>One row per coded group: symbols, bitstream bytes, self-information bytes, overhead, bits per symbol.</summary>
    public static Frame<int, string> GroupsFrame(this SizeBreakdown sizes) => Frame.FromRecords(sizes.Groups.Select(g => new GroupFrameRow(
        g.Group, g.Symbols, g.Columns, g.BitstreamBytes, g.SelfInformationBytes, g.OverheadBytes, g.OverheadPercent, g.BitsPerSymbol)));

    sealed record FrameRow(string Part, string Group, long Bytes, double Percent, double SelfInformationBytes);

    sealed record GroupFrameRow(string Group, int Symbols, int Columns, long BitstreamBytes, double SelfInformationBytes,
        double OverheadBytes, double OverheadPercent, double BitsPerSymbol);
}
