// One group of EPR (or of any method using the coder): tensors sharing a parameter decoder and a factorized
// probability model, stored as a d x l integer latent range-coded with one CdfTable per column.
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

    /// <summary>The decoded latent, row-major d x l.</summary>
    public int[] DecodeSymbols() => SymbolCoder.Decode(Bitstream, SymbolCount, Columns, Tables);

    /// <summary>Self-information of the coded latent under the group's tables, in bits.</summary>
    public double SelfInformationBits() => SelfInformation.Bits(DecodeSymbols(), Columns, Tables);

    /// <summary>Bytes of the tables when serialized.</summary>
    public int TableBytes => Tables.Sum(t => t.SerializedSize);

    public override string ToString() =>
        $"CodedGroup '{Name}': {Tensors.Count} tensors, {SymbolCount} symbols in {Columns} columns, {Bitstream.Length} bitstream bytes";
}
