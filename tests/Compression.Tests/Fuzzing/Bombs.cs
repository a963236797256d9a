// Crafted hostile files, each a valid container (correct checksum) that asks for far more work or memory than its
// length: huge declared symbol counts over tiny bitstreams, 30,000 escape-only 16-bit tables (whose 64 KiB lookups
// would take 2 GB if built), counts at int.MaxValue. Each must be rejected (or, where the file is honest, decoded)
// within the fuzz limits.
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Fuzzing;

public static class Bombs
{
    public sealed record Bomb(string Name, byte[] File, bool MustBeRejected);

    static CdfTable Peaked() => CdfTable.FromFrequencies([1, 65533, 1, 1], -1, 16);

    static byte[] OneGroup(string name, int columns, int[] shape, IReadOnlyList<CdfTable> tables, byte[] bitstream) => new CompressedModel
    {
        Architecture = "lenet300-100",
        Method = "epr",
        Groups = [new CodedGroup { Name = name, Columns = columns, Tensors = [("w", shape)], Tables = tables, Bitstream = bitstream }],
    }.ToBytes();

    public static IReadOnlyList<Bomb> All()
    {
        var escapeOnly = CdfTable.FromFrequencies([1 << 16], 0, 16);
        var manyTables = Enumerable.Repeat(escapeOnly, 30_000).ToArray();
        // An honest stream for those tables: every value at the table's offset, one escape bit each.
        var honest = SymbolCoder.Encode(new int[30_000], 30_000, manyTables);
        return
        [
            new("2^31-1 symbols, empty bitstream", OneGroup("g", 1, [int.MaxValue], [Peaked()], []), true),
            new("2^28 symbols in a 64-byte file", OneGroup("g", 1, [1 << 14, 1 << 14], [Peaked()], [0x12, 0x34]), true),
            new("0x7FFFFFC7 symbols in 9 columns", OneGroup("g", 9, [0x7FFFFFC7 / 9 * 9], Enumerable.Repeat(Peaked(), 9).ToArray(), [0xFF]), true),
            new("30,000 escape-only 16-bit tables, empty bitstream", OneGroup("g", 30_000, [30_000], manyTables, []), true),
            new("30,000 escape-only 16-bit tables, honest bitstream", OneGroup("g", 30_000, [30_000], manyTables, honest), false),
            new("two groups of 2^30 symbols", new CompressedModel
            {
                Architecture = "a",
                Method = "m",
                Groups =
                [
                    new CodedGroup { Name = "a", Columns = 1, Tensors = [("a", [1 << 30])], Tables = [Peaked()], Bitstream = [] },
                    new CodedGroup { Name = "b", Columns = 1, Tensors = [("b", [1 << 30])], Tables = [Peaked()], Bitstream = [] },
                ],
            }.ToBytes(), true),
        ];
    }
}
