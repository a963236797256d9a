// The reader's rejections pinned to the byte: for hand-built files (valid checksums), each defect is reported at the
// offset where its field starts, under that field's name, with its own problem. Offsets and fields are what a user
// needs to look at a damaged file, and what distinguishes one bound or check from another.
using Compression.Format;

namespace Compression.Tests.Format;

public class ReaderOffsetTests
{
    // magic (0-3), version (4), "a" (5-6), "m" (7-8): the group count is at 9
    static readonly byte[] Header = [.. "EPRC"u8, 1, 1, (byte)'a', 1, (byte)'m'];

    static CorruptModelFileException Rejects(byte[] body) =>
        Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes(ModelSamples.Reseal([.. Header, .. body, 0, 0, 0, 0])));

    static void At(CorruptModelFileException e, long offset, string field, string problem)
    {
        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(problem, e.Problem);
        Assert.Equal($"compressed-model file: {e.Problem} (at byte {offset}, in {field})", e.Message);
    }

    [Fact]
    public void CountsAreRefusedWhereTheyStand()
    {
        // 2^62 groups
        At(Rejects([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0]), 9, "group count", "4611686018427387904 exceeds the limit of 2147483647");
        // 2 groups of at least 8 bytes each cannot fit in the 5 bytes left
        At(Rejects([2, 0]), 9, "group count", "count 2 needs at least 16 more bytes, 5 remain");
        // a side-tensor count of 3 with 1 byte left after it (each needs 2)
        At(Rejects([0, 3, 0]), 10, "side tensor count", "count 3 needs at least 6 more bytes, 5 remain");
    }

    [Fact]
    public void GroupFieldsAreNamedAndPlaced()
    {
        // group 0 starts at 10: name "g" (10-11), columns (12), tensor count (13), "w" (14-15), rank (16), dimension (17),
        // kind (18), parameter length (19), table (20-21), bitstream length (22)
        byte[] Group(byte columns, byte[] tensors, byte[] rest) => [1, 1, (byte)'g', columns, .. tensors, .. rest];
        byte[] oneTensor = [1, 1, (byte)'w', 1, 1];
        byte[] table = [0x0F, 0x00];

        At(Rejects([.. Group(1, oneTensor, [0, 0, .. table, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]), 0]), 22, "group 0 'g' bitstream length", "count 2147483647 needs");
        At(Rejects([.. Group(0, [0], [0, 0]), 0]), 12, "group 0 'g' columns", "0 columns; a group has at least 1");
        At(Rejects([.. Group(2, [1, 1, (byte)'w', 1, 3], [0, 0, .. table, .. table, 0]), 0]), 13, "group 0 'g' tensors", "3 symbols do not fill rows of 2 columns");
        At(Rejects([.. Group(1, [2, 1, (byte)'w', 1, 1, 1, (byte)'w', 1, 1], [0, 0, .. table, 0]), 0]), 18, "group 0 'g' tensor 1 name", "tensor name 'w' occurs twice");
        At(Rejects([.. Group(1, oneTensor, [0, 0, 0x11, 0x00, 0x03, 0]), 0]), 20, "group 0 'g' table 0", "bad table");
        // a dimension above int.MaxValue, at the dimension's own byte
        At(Rejects([.. Group(1, [1, 1, (byte)'w', 1, 0x80, 0x80, 0x80, 0x80, 0x08], [0, 0, .. table, 0]), 0]), 17, "group 0 'g' tensor 'w' shape", "dimension 2147483648 exceeds int.MaxValue");
        // two groups of one name: the second group's name, where it starts
        byte[] g = Group(1, oneTensor, [0, 0, .. table, 0]);
        byte[] g2 = Group(1, [1, 1, (byte)'v', 1, 1], [0, 0, .. table, 0]);
        var e = Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes(ModelSamples.Reseal([.. Header, 2, .. g[1..], .. g2[1..], 0, 0, 0, 0, 0])));
        At(e, 10 + g.Length - 1, "group 1 name", "two groups are named 'g'");
    }

    [Fact]
    public void SideTensorsAndTheEndAreNamedAndPlaced()
    {
        // no groups (9), one side tensor (10): "s" (11-12), rank (13), dimension (14-18), values from 19
        At(Rejects([0, 1, 1, (byte)'s', 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0]), 19, "side tensor 's' values", "ends early");
        // a version-2 side tensor of kind 7: the kind's byte (13)
        byte[] v2 = [.. "EPRC"u8, 2, 1, (byte)'a', 1, (byte)'m'];
        var e = Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes(ModelSamples.Reseal([.. v2, 0, 1, 1, (byte)'s', 7, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])));
        At(e, 13, "side tensor 's' kind", "unknown side-tensor kind 7 (0 parameter, 1 state)");
        // two trailing bytes after the side-tensor count: the end of the layout is where they start (11)
        At(Rejects([0, 0, 0xAA, 0xBB]), 11, "end of file", "2 bytes more than the layout accounts for");
        // version 1 holds no raw payloads: a well-formed empty file is 15 bytes
        Assert.Empty(CompressedModelFile.FromBytes(ModelSamples.Reseal([.. Header, 0, 0, 0, 0, 0, 0])).Groups);
    }

    [Fact]
    public void TheChecksumIsCheckedLastAndPlacedAtItsBytes()
    {
        byte[] file = ModelSamples.Reseal([.. Header, 0, 0, 0, 0, 0, 0]);
        file[^1] ^= 0x80;
        var e = Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes(file));
        At(e, file.Length - 4, "checksum", "checksum mismatch");
        // too short for its checksum
        e = Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes([.. Header, 0, 0, 0, 0]));
        Assert.Contains("ends early", e.Problem);
    }
}
