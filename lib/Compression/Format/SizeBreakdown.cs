// Exact size accounting of a compressed-model file: bytes per (part, group), summing to the file length, and
// per coded group the self-information estimate beside the real bitstream; as plain text here, as frames in
// Compression.Notebooks.
using System.Globalization;
using System.Text;

namespace Compression.Format;

public sealed class SizeBreakdown
{
    SizeBreakdown(IReadOnlyList<SizeRow> rows, IReadOnlyList<GroupRate> groups)
    {
        Rows = rows;
        Groups = groups;
        TotalBytes = rows.Sum(r => r.Bytes);
        PaperComparableBytes = TotalBytes - rows.Where(r => SizePart.NotCountedByPapers.Contains(r.Part)).Sum(r => r.Bytes);
    }

    /// <summary>Bytes per (part, group) in file order; parts are the <see cref="SizePart"/> names.</summary>
    public IReadOnlyList<SizeRow> Rows { get; }

    /// <summary>Per coded group: real bitstream against self-information (empty when not estimated).</summary>
    public IReadOnlyList<GroupRate> Groups { get; }

    /// <summary>Sum of all rows: exactly the file's length.</summary>
    public long TotalBytes { get; }

    /// <summary>
    /// The size to set beside a paper's: the file's length less what the papers do not count as the network's size,
    /// i.e. the state side tensors (records and values, e.g. BatchNorm running statistics; see
    /// <see cref="SizePart.NotCountedByPapers"/>). Equal to <see cref="TotalBytes"/> for a file without state.
    /// </summary>
    public long PaperComparableBytes { get; }

    /// <summary>Bytes of one part, over all groups.</summary>
    public long Bytes(string part) => Rows.Where(r => r.Part == part).Sum(r => r.Bytes);

    /// <summary>Bytes of one part of one group (or side tensor).</summary>
    public long Bytes(string part, string group) => Rows.Where(r => r.Part == part && r.Group == group).Sum(r => r.Bytes);

    /// <summary>
    /// The most coded symbols <see cref="Of"/> decodes by default: 2^26, above the largest network of the package
    /// (ResNet-50, 25.6 million parameters); 256 MiB of decoded symbols at most.
    /// </summary>
    public const long DefaultMaxSymbols = 1L << 26;

    /// <summary>
    /// The breakdown of the file <see cref="CompressedModelFile.Write(CompressedModel, string)"/> would write. With
    /// <paramref name="estimateSelfInformation"/>, each group's bitstream is decoded to measure its self-information;
    /// a model whose groups declare more than <paramref name="maxSymbols"/> symbols in all (a file claiming more than
    /// its network holds: pass the network's parameter count) is rejected with a <see cref="CorruptModelFileException"/>
    /// before anything is decoded.
    /// </summary>
    public static SizeBreakdown Of(CompressedModel model, bool estimateSelfInformation = true, long maxSymbols = DefaultMaxSymbols)
    {
        var sink = ModelFileWriter.Write(model);
        if (!estimateSelfInformation) return new SizeBreakdown(sink.Rows.ToList(), []);
        long declared = 0;
        foreach (var g in model.Groups)
        {
            declared += g.SymbolCount;
            if (declared > maxSymbols)
                throw new CorruptModelFileException($"the groups declare {declared:N0} or more symbols, more than the {maxSymbols:N0} the network holds",
                    g.TensorsOffset, $"group '{g.Name}' tensors");
        }
        var groups = model.Groups.Select(g => new GroupRate(g.Name, g.SymbolCount, g.Columns, g.Bitstream.Length, g.SelfInformationBits())).ToList();
        return new SizeBreakdown(sink.Rows.ToList(), groups);
    }

    public double Percent(long bytes) => TotalBytes > 0 ? 100.0 * bytes / TotalBytes : 0;

    /// <summary>A fixed-width text table of the rows, the total, and the per-group rates.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        int partWidth = Math.Max(20, Rows.Select(r => r.Part.Length).DefaultIfEmpty(0).Max() + 2);
        int groupWidth = Math.Max(12, Rows.Select(r => r.Group.Length).DefaultIfEmpty(0).Max() + 2);
        s.Append("part".PadRight(partWidth)).Append("group".PadRight(groupWidth)).Append("bytes".PadLeft(10)).Append("%".PadLeft(8)).AppendLine();
        foreach (var r in Rows)
            s.Append(r.Part.PadRight(partWidth)).Append(r.Group.PadRight(groupWidth))
             .Append(r.Bytes.ToString(inv).PadLeft(10)).Append(Percent(r.Bytes).ToString("F2", inv).PadLeft(8)).AppendLine();
        s.Append("total".PadRight(partWidth + groupWidth)).Append(TotalBytes.ToString(inv).PadLeft(10))
         .Append((TotalBytes > 0 ? 100.0 : 0).ToString("F2", inv).PadLeft(8)).AppendLine();
        if (PaperComparableBytes != TotalBytes)
            s.Append("without state (papers)".PadRight(partWidth + groupWidth)).Append(PaperComparableBytes.ToString(inv).PadLeft(10))
             .Append(Percent(PaperComparableBytes).ToString("F2", inv).PadLeft(8)).AppendLine();
        if (Groups.Count > 0)
        {
            s.AppendLine();
            s.Append("group".PadRight(groupWidth)).Append("symbols".PadLeft(10)).Append("bitstream B".PadLeft(13))
             .Append("self-info B".PadLeft(13)).Append("overhead B".PadLeft(12)).Append("bits/sym".PadLeft(10)).AppendLine();
            foreach (var g in Groups)
                s.Append(g.Group.PadRight(groupWidth)).Append(g.Symbols.ToString(inv).PadLeft(10))
                 .Append(g.BitstreamBytes.ToString(inv).PadLeft(13)).Append(g.SelfInformationBytes.ToString("F1", inv).PadLeft(13))
                 .Append(g.OverheadBytes.ToString("F1", inv).PadLeft(12)).Append(g.BitsPerSymbol.ToString("F4", inv).PadLeft(10)).AppendLine();
        }
        return s.ToString();
    }

    public override string ToString() => ToText();
}
