// Group coding: a row-major d x l matrix of integer latents as one range-coded stream, symbol k coded with
// tables[k % columns] (one scalar model per column). One stream per group keeps termination to 0-1 byte.
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
        var symbols = new int[count];
        Decode(stream, symbols, columns, tables);
        return symbols;
    }

    /// <summary>Decodes destination.Length symbols into <paramref name="destination"/> (no allocation of the output).</summary>
    public static void Decode(ReadOnlySpan<byte> stream, Span<int> destination, int columns, IReadOnlyList<CdfTable> tables)
    {
        var checkedTables = Check(columns, tables);
        new RangeDecoder(stream).DecodeMany(destination, TableView.For(checkedTables, forDecoding: true));
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
