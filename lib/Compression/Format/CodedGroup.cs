// One group of EPR (or of any method using the coder): tensors sharing a parameter decoder and a factorized
// probability model, stored as a d x l integer latent range-coded with one CdfTable per column.
//
// Decoding is bounded by the caller, not by the file: a range-coded stream does not bound its own symbol count
// (the decoder reads zeros past its end, and a run of each table's first symbol in coding order costs no bytes,
// see FORMAT.md), so a decoder of untrusted files passes the count its network expects to
// DecodeSymbols(expectedSymbols), which rejects any other count before allocating anything.
using Compression.Coding;

namespace Compression.Format;

public sealed class CodedGroup
{
    public required string Name { get; init; }

    /// <summary>l: the latent's row length; symbol k is coded with Tables[k % Columns].</summary>
    public required int Columns { get; init; }

    /// <summary>The group's tensors in coding order; their element counts add up to <see cref="SymbolCount"/>.</summary>
    public required IReadOnlyList<(string Name, int[] Shape)> Tensors { get; init; }

    /// <summary>Which parameter decoder f reconstructs the tensors (the method's own numbering).</summary>
    public byte DecoderKind { get; init; }

    /// <summary>The decoder's parameters (e.g. scale and shift), opaque to the file; counted as decoder-parameter bytes.</summary>
    public byte[] DecoderParameters { get; init; } = [];

    /// <summary>One quantized table per column.</summary>
    public required IReadOnlyList<CdfTable> Tables { get; init; }

    /// <summary>The range-coded latent.</summary>
    public required byte[] Bitstream { get; init; }

    /// <summary>Where the tensor list starts in the file the group was read from (0 for a group made in memory).</summary>
    internal long TensorsOffset { get; init; }

    /// <summary>Where the decoder parameters start in the file the group was read from (0 for a group made in memory).</summary>
    internal long DecoderParametersOffset { get; init; }

    /// <summary>Where the bitstream starts in the file the group was read from (0 for a group made in memory).</summary>
    internal long BitstreamOffset { get; init; }

    /// <summary>Number of coded symbols: the summed element counts of <see cref="Tensors"/> (d * l).</summary>
    public int SymbolCount => CountSymbols(Name, Tensors);

    /// <summary>Codes <paramref name="symbols"/> (row-major d x l) into a group.</summary>
    public static CodedGroup Encode(string name, int columns, IReadOnlyList<(string Name, int[] Shape)> tensors,
        ReadOnlySpan<int> symbols, IReadOnlyList<CdfTable> tables, byte decoderKind = 0, byte[]? decoderParameters = null)
    {
        int count = CountSymbols(name, tensors);
        if (count != symbols.Length)
            throw new ArgumentException($"group '{name}': {symbols.Length} symbols for tensors holding {count}", nameof(symbols));
        return new CodedGroup
        {
            Name = name,
            Columns = columns,
            Tensors = tensors,
            DecoderKind = decoderKind,
            DecoderParameters = decoderParameters ?? [],
            Tables = tables,
            Bitstream = SymbolCoder.Encode(symbols, columns, tables),
        };
    }

    static int CountSymbols(string group, IReadOnlyList<(string Name, int[] Shape)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        long total = 0;
        foreach (var (name, shape) in tensors) total += TensorShape.ElementCount(shape, $"group '{group}' tensor '{name}'");
        if (total > int.MaxValue) throw new ArgumentException($"group '{group}' holds more than int.MaxValue symbols");
        return (int)total;
    }

    /// <summary>
    /// The decoded latent, row-major d x l, for a network that expects <paramref name="expectedSymbols"/> symbols in
    /// this group: a group declaring any other count is rejected before anything is allocated, so decoding costs
    /// at most the network's own work and memory. Throws <see cref="CorruptModelFileException"/> for a wrong count or
    /// a damaged bitstream (with the byte's offset in the file the group was read from).
    /// </summary>
    public int[] DecodeSymbols(int expectedSymbols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSymbols);
        int declared = SymbolCount;
        if (declared != expectedSymbols)
            throw new CorruptModelFileException($"declares {declared} symbols; the network expects {expectedSymbols}", TensorsOffset, $"group '{Name}' tensors");
        return Decode(declared);
    }

    /// <summary>
    /// The decoded latent, row-major d x l, of the count the group declares. For groups the caller made or wrote
    /// itself; a group from an untrusted file should be decoded with <see cref="DecodeSymbols(int)"/>.
    /// </summary>
    public int[] DecodeSymbols() => Decode(SymbolCount);

    int[] Decode(int count)
    {
        // Every element is written by the decoder, so the array need not be zeroed first.
        var symbols = GC.AllocateUninitializedArray<int>(count);
        try
        {
            SymbolCoder.Decode(Bitstream, symbols, Columns, Tables);
        }
        catch (CorruptBitstreamException e)
        {
            throw new CorruptModelFileException(e.Problem, BitstreamOffset + e.Position, $"group '{Name}' bitstream", inner: e);
        }
        return symbols;
    }

    /// <summary>Self-information of the coded latent under the group's tables, in bits (decodes the declared count).</summary>
    public double SelfInformationBits() => SelfInformation.Bits(DecodeSymbols(), Columns, Tables);

    /// <summary>As <see cref="SelfInformationBits()"/> for a network expecting <paramref name="expectedSymbols"/> symbols here.</summary>
    public double SelfInformationBits(int expectedSymbols) => SelfInformation.Bits(DecodeSymbols(expectedSymbols), Columns, Tables);

    /// <summary>Bytes of the tables when serialized.</summary>
    public int TableBytes => Tables.Sum(t => t.SerializedSize);

    public override string ToString() =>
        $"CodedGroup '{Name}': {Tensors.Count} tensors, {SymbolCount} symbols in {Columns} columns, {Bitstream.Length} bitstream bytes";
}
