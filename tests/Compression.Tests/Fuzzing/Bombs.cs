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

    /// <summary>A copy of <paramref name="g"/> with the given parts replaced.</summary>
    static CodedGroup With(CodedGroup g, int? columns = null, IReadOnlyList<(string, int[])>? tensors = null, byte? kind = null,
        byte[]? parameters = null, IReadOnlyList<CdfTable>? tables = null, byte[]? bitstream = null) => new()
    {
        Name = g.Name,
        Columns = columns ?? g.Columns,
        Tensors = tensors ?? g.Tensors,
        DecoderKind = kind ?? g.DecoderKind,
        DecoderParameters = parameters ?? g.DecoderParameters,
        Tables = tables ?? g.Tables,
        Bitstream = bitstream ?? g.Bitstream,
    };

    /// <summary><paramref name="model"/> with its first group replaced (and optionally its method or architecture).</summary>
    static byte[] FirstGroup(CompressedModel model, CodedGroup group, string? method = null, string? architecture = null) => new CompressedModel
    {
        Architecture = architecture ?? model.Architecture,
        Method = method ?? model.Method,
        Groups = [group, .. model.Groups.Skip(1)],
        SideTensors = model.SideTensors,
    }.ToBytes();

    /// <summary>
    /// Bombs for the method decoders: real EPR and soft weight-sharing files of LeNet300-100 (valid checksums) whose
    /// first group declares what the network does not hold, or asks for work beyond it.
    /// </summary>
    public static IReadOnlyList<Bomb> ForMethods()
    {
        var root = Compression.Tests.Format.CommittedFiles.Root;
        var epr = CompressedModelFile.Read(Path.Combine(root, "results", "epr-lenet300-100", "lenet300-100.epr"));
        var sws = CompressedModelFile.Read(Path.Combine(root, "results", "sws-lenet300-100", "model.eprc"));
        var e0 = epr.Groups[0];
        var s0 = sws.Groups[0];
        string eName = e0.Tensors[0].Name, sName = s0.Tensors[0].Name;
        var escapeOnly = CdfTable.FromFrequencies([1 << 16], 0, 16);
        var many = Enumerable.Repeat(escapeOnly, 30_000).ToArray();
        byte[] Transform(byte transform, byte l) => [transform, l, .. transform == 2 ? new byte[4] : [], .. new byte[8 * l]];
        return
        [
            new("EPR: 2^28 symbols declared for fc1.weight", FirstGroup(epr, With(e0, tensors: [(eName, [1 << 14, 1 << 14]), .. e0.Tensors.Skip(1)], bitstream: [0x12, 0x34])), true),
            new("EPR: 2^31-1 symbols declared for fc1.weight", FirstGroup(epr, With(e0, tensors: [(eName, [int.MaxValue])], bitstream: [])), true),
            new("EPR: a tensor the network lacks", FirstGroup(epr, With(e0, tensors: [("fc9.weight", [1 << 20]), .. e0.Tensors.Skip(1)])), true),
            new("EPR: unknown transform byte 9", FirstGroup(epr, With(e0, kind: 2, parameters: Transform(9, 1))), true),
            new("EPR: DFT transform of 8 columns (not k*k)", FirstGroup(epr, With(e0, columns: 8, kind: 2, parameters: Transform(1, 8), tables: Enumerable.Repeat(e0.Tables[0], 8).ToArray())), true),
            new("EPR: 255 columns of a random orthogonal transform over rows that do not fill", FirstGroup(epr,
                With(e0, columns: 255, kind: 2, parameters: Transform(2, 255), tables: Enumerable.Repeat(e0.Tables[0], 255).ToArray(), bitstream: [])), true),
            new("EPR: decoder kind 200", FirstGroup(epr, With(e0, kind: 200)), true),
            new("EPR: the whole file under method 'sws'", FirstGroup(epr, e0, method: "sws"), true),
            new("EPR: architecture 'lenet5-caffe' over LeNet300-100's groups", FirstGroup(epr, e0, architecture: "lenet5-caffe"), true),
            new("SWS: a masked tensor declaring 2^31-1 symbols with the group's others", FirstGroup(sws, With(s0,
                tensors: [(sName, [int.MaxValue - s0.Tensors.Skip(1).Sum(t => t.Shape.Aggregate(1, (a, b) => a * b))]), .. s0.Tensors.Skip(1)], bitstream: [])), true),
            new("SWS: 30,000 escape-only 16-bit tables", FirstGroup(sws, With(s0, columns: 30_000, tensors: [(sName, [30_000 - s0.Tensors.Skip(1).Sum(t => t.Shape.Aggregate(1, (a, b) => a * b))]), .. s0.Tensors.Skip(1)], tables: many, bitstream: [])), true),
            new("SWS: a codebook of 65,535 means in 4 bytes", FirstGroup(sws, With(s0, parameters: [1, 0xFF, 0xFF, 0])), true),
            new("SWS: mask flag 7", FirstGroup(sws, With(s0, parameters: [.. s0.DecoderParameters[..^1], 7])), true),
            new("method 'nosuch'", FirstGroup(sws, s0, method: "nosuch"), true),
            new("EPR: the committed file itself", epr.ToBytes(), false),
            new("SWS: the committed file itself", sws.ToBytes(), false),
        ];
    }
}
