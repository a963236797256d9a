// The container's edges pinned exactly: every model the writer must refuse is refused with its own exception and
// message; the reader rejects each hand-built defect at the byte and under the field where it stands, with its own
// problem; a small version-2 model is written byte for byte as the layout says; and the reader's cursor and the
// writer's sink behave at their boundaries (a read one byte past the end, an empty accounting step).
using System.Buffers.Binary;
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class ReaderWriterMutantTests
{
    // ---- writer refusals -------------------------------------------------------------------------------------

    static CdfTable EmptyTable() => CdfTable.FromPmf(ReadOnlySpan<double>.Empty, 1.0, 0);

    static CodedGroup Group(string name = "g", string tensor = "w", IReadOnlyList<CdfTable>? tables = null,
        byte[]? parameters = null, byte[]? bitstream = null, bool nullTensors = false, bool nullParameters = false, bool nullBitstream = false, byte kind = 0) => new()
    {
        Name = name,
        DecoderKind = kind,
        Columns = 1,
        Tensors = nullTensors ? null! : [(tensor, [1])],
        Tables = tables ?? [EmptyTable()],
        DecoderParameters = nullParameters ? null! : parameters ?? [],
        Bitstream = nullBitstream ? null! : bitstream ?? [],
    };

    static CompressedModel Model(IReadOnlyList<CodedGroup>? groups = null, IReadOnlyList<SideTensor>? sides = null,
        IReadOnlyList<RawPayload>? raws = null, string architecture = "a") => new()
    {
        Architecture = architecture,
        Method = "m",
        Groups = groups ?? [],
        SideTensors = sides ?? [],
        RawPayloads = raws ?? [],
    };

    static void Refuses(CompressedModel model, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => CompressedModelFile.ToBytes(model));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void WriterRefusesBrokenGroupsWithTheirOwnMessages()
    {
        Refuses(Model([Group(), null!]), "group 1 is null");
        Refuses(Model([Group(nullTensors: true)]), "group 'g': no tensor list");
        Refuses(Model([Group(tables: [EmptyTable(), EmptyTable()])]), "group 'g': 2 tables for 1 columns; need one per column");
        Refuses(Model([Group(tables: [null!])]), "group 'g': a table is null");
        Refuses(Model([Group(nullParameters: true)]), "group 'g': decoder parameters are null (use an empty array)");
        Refuses(Model([Group(nullBitstream: true)]), "group 'g': bitstream is null");
    }

    [Fact]
    public void WriterRefusesBrokenSideTensorsAndPayloads()
    {
        string tooLong = new('x', FileLayout.MaxStringBytes + 1);
        Refuses(Model(sides: [null!]), "a side tensor is null");
        Refuses(Model(sides: [new SideTensor(tooLong, [], [0f])]), "side tensor name is 1025 UTF-8 bytes; at most 1024");
        // a side tensor may not reuse a coded tensor's name
        Refuses(Model([Group()], [new SideTensor("w", [], [0f])]), "tensor name 'w' occurs twice");
        Refuses(Model(raws: [null!]), "a raw payload is null");
        Refuses(Model(raws: [new RawPayload(tooLong, 0, [])]), "raw payload name is 1025 UTF-8 bytes; at most 1024");
        Refuses(Model(raws: [new RawPayload("r", 0, []), new RawPayload("r", 1, [0x80])]), "two raw payloads are named 'r'");
    }

    [Fact]
    public void WriterRefusesNullStringsAndListsAndAcceptsTheLongestString()
    {
        Refuses(Model(architecture: null!), "architecture is null");
        Refuses(Model(architecture: new string('é', 513)), "architecture is 1026 UTF-8 bytes; at most 1024");
        // a null payload list is a null argument, found before anything dereferences it
        Assert.Throws<ArgumentNullException>(() => CompressedModelFile.ToBytes(new CompressedModel { Architecture = "a", Method = "m", RawPayloads = null! }));
        // exactly MaxStringBytes is allowed, and reads back
        string longest = new('a', FileLayout.MaxStringBytes);
        var back = CompressedModelFile.FromBytes(CompressedModelFile.ToBytes(Model(architecture: longest)));
        Assert.Equal(longest, back.Architecture);
    }

    [Fact]
    public void SmallVersion2ModelIsWrittenByteForByte()
    {
        var model = Model(
            [Group(parameters: [9], bitstream: [0xAB], kind: 5)],
            [new SideTensor("s", [1], [1f], SideTensorKind.State)],
            [new RawPayload("r", 3, [0xA0])]);
        byte[] body =
        [
            .. "EPRC"u8, 2, 1, (byte)'a', 1, (byte)'m',
            1, // groups
            1, (byte)'g', 1, 1, 1, (byte)'w', 1, 1, // name, columns, #tensors, "w", rank 1, dimension 1
            5, 1, 9, // kind, parameter length, parameters
            0x0F, 0x00, // empty table: length 0, precision 16; offset 0
            1, 0xAB, // bitstream
            1, 1, (byte)'s', 1, 1, 1, 0x00, 0x00, 0x80, 0x3F, // one side tensor: "s", state, rank 1, dimension 1, 1.0f
            1, 1, (byte)'r', 3, 0xA0, // one raw payload: "r", 3 bits
        ];
        var expected = new byte[body.Length + 4];
        body.CopyTo(expected, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(body.Length), Crc32.Compute(body));
        Assert.Equal(expected, CompressedModelFile.ToBytes(model));
    }

    // ---- reader rejections -----------------------------------------------------------------------------------

    // magic (0-3), version (4), "a" (5-6), "m" (7-8): the group count is at 9
    static readonly byte[] V1 = [.. "EPRC"u8, 1, 1, (byte)'a', 1, (byte)'m'];
    static readonly byte[] V2 = [.. "EPRC"u8, 2, 1, (byte)'a', 1, (byte)'m'];

    static CorruptModelFileException Rejects(byte[] file) =>
        Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.FromBytes(file));

    /// <summary>The body behind a header, then a checksum slot, resealed so that only the layout is at fault.</summary>
    static CorruptModelFileException RejectsSealed(byte[] header, byte[] body) => Rejects(ModelSamples.Reseal([.. header, .. body, 0, 0, 0, 0]));

    static void At(CorruptModelFileException e, long offset, string field, string problem)
    {
        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void HeaderDefectsHaveExactProblems()
    {
        At(Rejects([.. "EPRX"u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0, "magic", "not a compressed-model file: magic is 45505258, expected 45505243 (\"EPRC\")");
        At(Rejects([.. "EPRC"u8, 1, 0, 0, 0, 0, 0]), 10, "header", "file ends early: 10 bytes, the smallest valid file has 13 (truncated file?)");
        At(Rejects([.. "EPRC"u8, 3, 0, 0, 0, 0, 0, 0, 0, 0]), 4, "version", "unsupported format version 3; this reader reads versions 1 and 2");
        // an architecture longer than the file, refused at its length
        At(Rejects([.. "EPRC"u8, 1, 100, .. new byte[12]]), 5, "architecture length", "file ends early or the count is damaged: count 100 needs at least 100 more bytes, 12 remain");
        At(Rejects([.. "EPRC"u8, 1, 1, (byte)'a', 100, .. new byte[10]]), 7, "method length", "file ends early or the count is damaged: count 100 needs at least 100 more bytes, 10 remain");
    }

    [Fact]
    public void ACountThatExactlyFillsTheRestIsAccepted()
    {
        // the method's 8 bytes are exactly what is left: the count is fine, and the file ends where the group count should be
        At(Rejects([.. "EPRC"u8, 1, 1, (byte)'a', 8, .. "xxxxxxxx"u8]), 16, "group count", "file ends early, inside a varint (truncated file?)");
    }

    [Fact]
    public void NonMinimalVarintIsRejectedWhereItStands()
    {
        // a group count of 0 written in two bytes; otherwise a valid empty file
        At(RejectsSealed(V1, [0x80, 0x00, 0]), 9, "group count", "non-minimal varint encoding");
    }

    [Fact]
    public void TheChecksumsLengthAndRangeAreSpelledOut()
    {
        // "abc" (5-8), "m" (9-10), no groups (11), no side tensors (12): two bytes where the checksum's four should be
        At(Rejects([.. "EPRC"u8, 1, 3, (byte)'a', (byte)'b', (byte)'c', 1, (byte)'m', 0, 0, 0xAA, 0xBB]), 13, "checksum",
            "file ends early: the checksum needs 4 bytes, 2 remain (truncated file?)");
        byte[] file = ModelSamples.Reseal([.. V1, 0, 0, 0, 0, 0, 0]);
        file[^1] ^= 0x01;
        var e = Rejects(file);
        Assert.Equal(11, e.Offset);
        Assert.EndsWith(" over bytes 0..10 (the file is damaged)", e.Problem);
    }

    [Fact]
    public void AGroupOverIntMaxValueSymbolsIsRejectedAtTheShapeThatOverflows()
    {
        // group "g" (10-11), 1 column (12), 2 tensors (13): "w" (14-15) of [2^31 - 1] (16-21), "v" (22-23) of [1] from 24
        byte[] body = [1, 1, (byte)'g', 1, 2, 1, (byte)'w', 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, (byte)'v', 1, 1, 0, 0, 0x0F, 0x00, 0, 0];
        At(RejectsSealed(V1, body), 24, "group 0 'g' tensor 'v' shape", "group holds more than int.MaxValue symbols");
    }

    [Fact]
    public void SideTensorFieldsAreNamed()
    {
        // no groups (9), two side tensors (10): "s" (11-12) rank 0 (13) value (14-17), then "s" again from 18
        At(RejectsSealed(V1, [0, 2, 1, (byte)'s', 0, 0, 0, 0, 0, 1, (byte)'s', 0, 0, 0, 0, 0]), 18, "side tensor 1 name", "tensor name 's' occurs twice");
        At(RejectsSealed(V1, [0, 1, 100]), 11, "side tensor 0 name length", "file ends early or the count is damaged: count 100 needs at least 100 more bytes, 4 remain");
        // "abcde" (5-10), "m" (11-12), no groups (13), one side tensor (14) named "s" (15-16); the file ends at 17
        byte[] header(byte version) => [.. "EPRC"u8, version, 5, .. "abcde"u8, 1, (byte)'m'];
        At(Rejects([.. header(2), 0, 1, 1, (byte)'s']), 17, "side tensor 's' kind", "file ends early: needs 1 bytes, 0 remain (truncated file?)");
        At(Rejects([.. header(1), 0, 1, 1, (byte)'s']), 17, "side tensor 's' shape rank", "file ends early, inside a varint (truncated file?)");
    }

    [Fact]
    public void RawPayloadFieldsAreNamedAndPlaced()
    {
        // no groups (9), no side tensors (10), the raw payload count (11), the first payload from 12: "r" (12-13), bit length (14)
        At(RejectsSealed(V2, [0, 0, 5]), 11, "raw payload count", "file ends early or the count is damaged: count 5 needs at least 10 more bytes, 4 remain");
        At(RejectsSealed(V2, [0, 0, 1, 100]), 12, "raw payload 0 name length", "file ends early or the count is damaged: count 100 needs at least 100 more bytes, 4 remain");
        At(RejectsSealed(V2, [0, 0, 2, 1, (byte)'r', 0, 1, (byte)'r', 0]), 15, "raw payload 1 name", "two raw payloads are named 'r'");
        At(Rejects([.. V2, 0, 0, 1, 1, (byte)'r', 0x80]), 14, "raw payload 'r' bit length", "file ends early, inside a varint (truncated file?)");
        At(RejectsSealed(V2, [0, 0, 1, 1, (byte)'r', 100]), 14, "raw payload 'r' bit length", "file ends early or the length is damaged: 100 bits need 13 bytes, 4 remain");
        // 32 bits are exactly the 4 bytes left: the payload is read, and then the checksum is missing
        At(Rejects([.. V2, 0, 0, 1, 1, (byte)'r', 32, 0, 0, 0, 0]), 19, "checksum", "file ends early: the checksum needs 4 bytes, 0 remain (truncated file?)");
        // 12 bits in bytes 15-16 whose low 4 bits are set: reported at the last byte
        At(RejectsSealed(V2, [0, 0, 1, 1, (byte)'r', 12, 0x00, 0xFF]), 16, "raw payload 'r'", "the 4 unused bits of the last byte are not zero");
    }

    // ---- the cursor and the sink -----------------------------------------------------------------------------

    [Fact]
    public void SourceReadsPastTheEndAreCorruptFileErrors()
    {
        var e = Assert.Throws<CorruptModelFileException>(() => new ByteSource([1, 2, 3]).Bytes(4, "x"));
        At(e, 0, "x", "file ends early: needs 4 bytes, 3 remain (truncated file?)");
        Assert.Equal(3, new ByteSource([1, 2, 3]).Bytes(3, "x").Length);

        e = Assert.Throws<CorruptModelFileException>(() => new ByteSource([1, 2, 3]).Float32s(1, "v"));
        At(e, 0, "v", "file ends early: needs 4 bytes, 3 remain (truncated file?)");
        e = Assert.Throws<CorruptModelFileException>(() => new ByteSource([1, 2, 3, 4, 5, 6, 7]).Float32s(2, "v"));
        At(e, 0, "v", "file ends early: needs 8 bytes, 7 remain (truncated file?)");
        Assert.Equal([1f], new ByteSource([0x00, 0x00, 0x80, 0x3F]).Float32s(1, "v"));
    }

    [Fact]
    public void SourceShapeOverflowNamesTheWholeShapeSoFar()
    {
        // rank 2 (0), 65536 (1-3), 65536 (4-6): the product passes int.MaxValue at the second dimension
        var e = Assert.Throws<CorruptModelFileException>(() => new ByteSource([2, 0x80, 0x80, 0x04, 0x80, 0x80, 0x04]).Shape("f"));
        At(e, 4, "f", "shape [65536, 65536] holds more than int.MaxValue elements");
    }

    [Fact]
    public void SourceTruncatedTableIsACorruptFileError()
    {
        // a table header (length 0, precision 16) and no offset
        var e = Assert.Throws<CorruptModelFileException>(() => new ByteSource([0x0F]).Table("t"));
        Assert.Equal("t", e.Field);
        Assert.Equal(0, e.Offset);
        Assert.StartsWith("file ends early inside a table: ", e.Problem);
        Assert.EndsWith(" (truncated file?)", e.Problem);
        Assert.IsType<EndOfStreamException>(e.InnerException);
    }

    [Fact]
    public void SinkAccountsNothingForAnEmptyStep()
    {
        var sink = new ByteSink();
        sink.Account("header", "");
        Assert.Empty(sink.Rows);
        Assert.Empty(sink.Spans);
        sink.Byte(7);
        sink.Account("a", "g");
        sink.Account("b", "g");
        Assert.Equal([new SizeRow("a", "g", 1)], sink.Rows);
        Assert.Equal([new FileSpan("a", "g", 0, 1)], sink.Spans);
    }
}
