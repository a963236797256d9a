// Group coding: a row-major d x l matrix of integer latents as one range-coded stream, symbol k coded with
// tables[k % columns] (one scalar model per column). One stream per group keeps termination to 0-1 byte.
// Decoding checks what every stream the encoder writes satisfies: it does not end in a zero byte (the encoder
// drops those), and its symbols use every byte of it (after the last symbol the decoder has read exactly the
// stream's length). A stream failing either is damaged or decoded with a wrong symbol count.
namespace Compression.Coding;

public static class SymbolCoder
{
    public static byte[] Encode(ReadOnlySpan<int> symbols, int columns, IReadOnlyList<CdfTable> tables)
    {
        var checkedTables = Check(columns, tables);
        var encoder = new RangeEncoder(symbols.Length / 2 + 64);
        encoder.EncodeMany(symbols, TableView.For(checkedTables, forDecoding: false));
        return encoder.Finish();
    }

    public static int[] Decode(ReadOnlySpan<byte> stream, int count, int columns, IReadOnlyList<CdfTable> tables)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Check(columns, tables);
        // Every element is written by the decoder, so the array need not be zeroed first.
        var symbols = GC.AllocateUninitializedArray<int>(count);
        Decode(stream, symbols, columns, tables);
        return symbols;
    }

    /// <summary>
    /// Decodes destination.Length symbols into <paramref name="destination"/> (no allocation of the output). Throws
    /// <see cref="CorruptBitstreamException"/> for an impossible escape code or bytes left after the last symbol.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> stream, Span<int> destination, int columns, IReadOnlyList<CdfTable> tables)
    {
        var checkedTables = Check(columns, tables);
        if (stream.Length > 0 && stream[^1] == 0)
            throw new CorruptBitstreamException("the stream ends in a zero byte, which the encoder never writes", stream.Length - 1);
        var decoder = new RangeDecoder(stream);
        decoder.DecodeMany(destination, TableView.For(checkedTables, forDecoding: true, destination.Length));
        if (decoder.Position != stream.Length)
            throw new CorruptBitstreamException(
                $"{stream.Length - decoder.Position} of the stream's {stream.Length} bytes follow its last symbol ({destination.Length} symbols)", decoder.Position);
    }

    static CdfTable[] Check(int columns, IReadOnlyList<CdfTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "a group has at least one column");
        if (tables.Count != columns) throw new ArgumentException($"{tables.Count} tables for {columns} columns; need one per column", nameof(tables));
        var array = new CdfTable[columns];
        for (int i = 0; i < columns; i++) array[i] = tables[i] ?? throw new ArgumentException($"table {i} is null", nameof(tables));
        return array;
    }
}
