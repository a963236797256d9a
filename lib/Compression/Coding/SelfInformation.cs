// The rate a group's symbols cost under its quantized tables: sum of -log2 q (escapes: the escape symbol's
// cost plus the escape code's raw bits). The real range-coded stream should come within a fraction of a
// percent plus a byte of this, so notebooks can set estimate beside real size.
namespace Compression.Coding;

public static class SelfInformation
{
    /// <summary>Bits of <paramref name="symbols"/>, symbol k under tables[k % columns].</summary>
    public static double Bits(ReadOnlySpan<int> symbols, int columns, IReadOnlyList<CdfTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "a group has at least one column");
        if (tables.Count != columns) throw new ArgumentException($"{tables.Count} tables for {columns} columns; need one per column", nameof(tables));
        double total = 0;
        for (int c = 0; c < columns; c++)
        {
            var table = tables[c];
            var costs = table.Costs;
            double column = 0;
            for (int k = c; k < symbols.Length; k += columns)
            {
                int value = symbols[k];
                column += table.Contains(value) ? costs[value - table.Offset] : costs[table.Length] + EscapeCode.RawBits(value, table);
            }
            total += column;
        }
        return total;
    }

    /// <summary>Bits of one value under one table.</summary>
    public static double Bits(int value, CdfTable table) => table.Bits(value);

    /// <summary>Whole bytes the bits round up to.</summary>
    public static long Bytes(double bits) => (long)Math.Ceiling(bits / 8);
}
