// The small records of the format: SideTensor (shape, values, kind), RawPayload (bit packing, its one byte form,
// bounded reading), GroupRate (rate arithmetic) and TensorShape.
using Compression.Format;

namespace Compression.Tests.Format;

public class RecordTests
{
    [Fact]
    public void SideTensorChecksShapeAgainstValues()
    {
        var side = new SideTensor("bias", [2, 3], new float[6]);
        Assert.Equal("bias", side.Name);
        Assert.Equal([2, 3], side.Shape);
        Assert.Equal(6, side.Values.Length);
        Assert.Equal(SideTensorKind.Parameter, side.Kind);
        Assert.Equal("SideTensor 'bias' [2, 3]", side.ToString());
        var state = new SideTensor("bn.var", [], [1f], SideTensorKind.State);
        Assert.Equal("SideTensor 'bn.var' [] (state)", state.ToString());
        Assert.Equal("side tensor 'b' has shape [2, 2] (4 elements) but 1 values", Assert.Throws<ArgumentException>(() => new SideTensor("b", [2, 2], [1f])).Message);
        Assert.Throws<ArgumentException>(() => new SideTensor("b", [-1], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SideTensor("b", [1], [1f], (SideTensorKind)2));
        Assert.Throws<ArgumentNullException>(() => new SideTensor(null!, [1], [1f]));
        Assert.Throws<ArgumentNullException>(() => new SideTensor("b", null!, [1f]));
        Assert.Throws<ArgumentNullException>(() => new SideTensor("b", [1], null!));
        Assert.Equal(0, (byte)SideTensorKind.Parameter);
        Assert.Equal(1, (byte)SideTensorKind.State);
    }

    [Fact]
    public void RawPayloadPacksMostSignificantBitFirst()
    {
        var payload = RawPayload.FromFields("idx", [0b101, 0b011, 0b111], 3);
        Assert.Equal(9, payload.BitLength);
        Assert.Equal([0b1010_1111, 0b1000_0000], payload.Bytes);
        Assert.Equal([0b101UL, 0b011, 0b111], payload.ReadFields(3, 3));
        Assert.Equal("RawPayload 'idx': 9 bits", payload.ToString());
        var wide = RawPayload.FromFields("w", [ulong.MaxValue, 1, 0x8000_0000_0000_0000], 64);
        Assert.Equal(192, wide.BitLength);
        Assert.Equal([ulong.MaxValue, 1UL, 0x8000_0000_0000_0000], wide.ReadFields(64, 3));
        Assert.Equal(0x80, wide.Bytes[16]);
        var none = RawPayload.FromFields("none", [], 7);
        Assert.Equal(0, none.BitLength);
        Assert.Empty(none.Bytes);
        Assert.Empty(none.ReadFields(7, 0));
        Assert.Equal(3, RawPayload.ByteCount(17));
        Assert.Equal(2, RawPayload.ByteCount(16));
        Assert.Equal(0, RawPayload.ByteCount(0));
    }

    [Fact]
    public void RawPayloadRandomFieldsRoundTrip()
    {
        var rng = new Random(12);
        for (int n = 0; n < 200; n++)
        {
            int bits = rng.Next(1, 65);
            ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            var fields = Enumerable.Range(0, rng.Next(0, 20)).Select(_ => ((ulong)rng.NextInt64() << 1 ^ (ulong)rng.NextInt64()) & mask).ToArray();
            var payload = RawPayload.FromFields("p", fields, bits);
            Assert.Equal((long)fields.Length * bits, payload.BitLength);
            Assert.Equal(fields, payload.ReadFields(bits, fields.Length));
            Assert.Equal(payload.Bytes, new RawPayload("p", payload.BitLength, payload.Bytes).Bytes);
        }
    }

    [Fact]
    public void RawPayloadHasOneByteForm()
    {
        Assert.Throws<ArgumentException>(() => new RawPayload("p", 9, [0xFF]));
        Assert.Throws<ArgumentException>(() => new RawPayload("p", 8, [0xFF, 0x00]));
        Assert.Contains("unused bits", Assert.Throws<ArgumentException>(() => new RawPayload("p", 9, [0xFF, 0x40])).Message);
        Assert.Contains("unused bits", Assert.Throws<ArgumentException>(() => new RawPayload("p", 15, [0xFF, 0x01])).Message);
        Assert.Equal(15, new RawPayload("p", 15, [0xFF, 0xFE]).BitLength);
        Assert.Equal(16, new RawPayload("p", 16, [0xFF, 0xFF]).BitLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RawPayload("p", -1, []));
        Assert.Throws<ArgumentNullException>(() => new RawPayload(null!, 0, []));
        Assert.Throws<ArgumentNullException>(() => new RawPayload("p", 0, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => RawPayload.FromFields("p", [8], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => RawPayload.FromFields("p", [1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RawPayload.FromFields("p", [1], 65));
        Assert.Equal(0, RawPayload.UnusedBits(9, [0xFF, 0x80]));
        Assert.Equal(0x7F, RawPayload.UnusedBits(9, [0xFF, 0xFF]));
        Assert.Equal(0, RawPayload.UnusedBits(8, [0xFF]));
    }

    [Fact]
    public void RawPayloadReadsOnlyTheExpectedFieldCount()
    {
        var payload = RawPayload.FromFields("idx", [1, 2, 3, 4], 5);
        var e = Assert.Throws<CorruptModelFileException>(() => payload.ReadFields(5, 5));
        Assert.Equal("raw payload 'idx'", e.Field);
        Assert.Equal("holds 20 bits, not the 5 fields of 5 bits (25 bits) expected", e.Problem);
        Assert.Throws<CorruptModelFileException>(() => payload.ReadFields(3, 5));
        Assert.Equal([0b0000UL, 0b1000, 0b1000, 0b0110, 0b0100], payload.ReadFields(4, 5));
        Assert.Equal([0b00001_00010UL, 0b00011_00100], payload.ReadFields(10, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => payload.ReadFields(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => payload.ReadFields(0, 1));
        // Read from a file, the error names the payload's offset there.
        var model = new CompressedModel { Architecture = "a", Method = "m", RawPayloads = [payload] };
        var read = CompressedModel.FromBytes(model.ToBytes()).RawPayloads[0];
        var layout = CompressedModelFile.Layout(model);
        Assert.Equal(layout.Single(s => s.Part == SizePart.RawPayload).Start, Assert.Throws<CorruptModelFileException>(() => read.ReadFields(5, 3)).Offset);
    }

    [Fact]
    public void GroupRateArithmetic()
    {
        var rate = new GroupRate("g", Symbols: 1000, Columns: 4, BitstreamBytes: 110, SelfInformationBits: 800);
        Assert.Equal(100, rate.SelfInformationBytes);
        Assert.Equal(10, rate.OverheadBytes);
        Assert.Equal(10, rate.OverheadPercent, 12);
        Assert.Equal(0.88, rate.BitsPerSymbol, 12);
        var free = new GroupRate("z", Symbols: 0, Columns: 1, BitstreamBytes: 0, SelfInformationBits: 0);
        Assert.Equal(0, free.OverheadPercent);
        Assert.Equal(0, free.BitsPerSymbol);
        var under = new GroupRate("u", Symbols: 8, Columns: 1, BitstreamBytes: 1, SelfInformationBits: 16);
        Assert.Equal(-1, under.OverheadBytes);
        Assert.Equal(-50, under.OverheadPercent, 12);
        Assert.Equal(1, under.BitsPerSymbol);
    }

    [Fact]
    public void TensorShapeCountsAndRejects()
    {
        Assert.Equal(1, TensorShape.ElementCount([], "scalar"));
        Assert.Equal(0, TensorShape.ElementCount([3, 0, 5], "empty"));
        Assert.Equal(int.MaxValue, TensorShape.ElementCount([int.MaxValue], "big"));
        Assert.Equal("w: more than int.MaxValue elements", Assert.Throws<ArgumentException>(() => TensorShape.ElementCount([65536, 32768], "w")).Message);
        Assert.Equal("w: negative dimension -2", Assert.Throws<ArgumentException>(() => TensorShape.ElementCount([3, -2], "w")).Message);
        Assert.Equal($"w: rank 17 exceeds {FileLayout.MaxRank}", Assert.Throws<ArgumentException>(() => TensorShape.ElementCount(new int[17], "w")).Message);
        Assert.Equal(0, TensorShape.ElementCount(new int[16], "w"));
        Assert.Equal("[2, 3]", TensorShape.Format([2, 3]));
        Assert.Equal("[]", TensorShape.Format([]));
    }
}
