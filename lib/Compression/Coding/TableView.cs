// What the coder's hot loops need of one table, flattened into a struct so a group's l tables sit in one
// array instead of behind l object references and lazy properties (measured: ~15% faster decoding at l = 9).
// A decoding view holds a 2^Precision-entry lookup only when the column decodes enough symbols to pay for it
// (2^Precision <= LookupAmortization * symbols); otherwise the decoder searches the table's slots. So lookups
// never take more than 2 * LookupAmortization bytes per decoded symbol, whatever tables a file declares.
namespace Compression.Coding;

internal readonly struct TableView
{
    /// <summary>A lookup of 2^Precision entries is built only for a column that decodes at least 2^Precision / this many symbols.</summary>
    public const long LookupAmortization = 4;

    /// <summary>Byte lookup for tables of at most 256 symbols, else null (decoding views only).</summary>
    public readonly byte[]? ByteLookup;
    /// <summary>Ushort lookup, for larger tables (decoding views only). Both null: search with <see cref="CdfTable.IndexAt"/>.</summary>
    public readonly ushort[]? Lookup;
    public readonly CodingSlot[] Slots;
    public readonly int Precision;
    public readonly int Offset;
    public readonly int Length;
    /// <summary>2^Precision - 1: the decoder clamps its position in the cumulative frequencies to this.</summary>
    public readonly uint LastPosition;
    public readonly CdfTable Table;

    /// <param name="symbols">How many symbols the view will decode (decoding views): decides whether a lookup pays.</param>
    public TableView(CdfTable table, bool forDecoding, long symbols = 0)
    {
        Table = table;
        Slots = table.Slots;
        Precision = table.Precision;
        Offset = table.Offset;
        Length = table.Length;
        LastPosition = (uint)table.Total - 1;
        if (forDecoding && table.Total <= LookupAmortization * symbols)
        {
            ByteLookup = table.ByteLookup;
            if (ByteLookup == null) Lookup = table.Lookup;
        }
    }

    /// <summary>Views of a group's tables; for decoding <paramref name="count"/> symbols, symbol k with tables[k % l].</summary>
    public static TableView[] For(CdfTable[] tables, bool forDecoding, long count = 0)
    {
        long perColumn = (count + tables.Length - 1) / tables.Length;
        return Array.ConvertAll(tables, t => new TableView(t, forDecoding, perColumn));
    }
}
