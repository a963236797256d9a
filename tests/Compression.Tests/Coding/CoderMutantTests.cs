// The range encoder's raw-bit path pinned byte for byte: known answers (expected bytes from an independent model of
// the coder) for a plain stream, for a carry that rolls a run of pending 0xFF bytes over to 0x00, and for the one
// boundary where low is exactly 0xFFFFFFFF when a byte leaves (it must stay pending, since a later carry can still
// reach it); plus the encoder's argument and use-after-finish errors with their messages, its tiny capacities, the
// escape code's refusal of in-table values, and the varint status text for an unknown status.
using Compression.Coding;

namespace Compression.Tests.Coding;

public class CoderMutantTests
{
    static byte[] EncodeBits(params (uint Value, int Bits)[] fields)
    {
        var encoder = new RangeEncoder();
        foreach (var (value, bits) in fields) encoder.EncodeBits(value, bits);
        return encoder.Finish();
    }

    static void RoundTrips(byte[] stream, (uint Value, int Bits)[] fields)
    {
        var decoder = new RangeDecoder(stream);
        foreach (var (value, bits) in fields) Assert.Equal(value, decoder.DecodeBits(bits));
    }

    [Fact]
    public void RawBitsHaveKnownBytes()
    {
        (uint, int)[] fields = [(0xAB, 8), (0xCD, 8)];
        var stream = EncodeBits(fields);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, stream);
        RoundTrips(stream, fields);
    }

    [Fact]
    public void CarryRollsPendingFFBytesOver()
    {
        // the last 16-bit field carries into two pending 0xFF bytes, which become the two 0x00 bytes behind 0xC1
        (uint, int)[] fields = [(5693, 16), (65534, 16), (65534, 16), (65535, 16), (111, 8)];
        var stream = EncodeBits(fields);
        Assert.Equal(Convert.FromHexString("163DE9C10000000070"), stream);
        RoundTrips(stream, fields);
    }

    [Fact]
    public void LowOfExactlyFFFFFFFFStaysPendingForALaterCarry()
    {
        // after (128, 12) the cache holds 0x07 and low is 0xFFFF8000; (1, 13) makes low exactly 0xFFFFFFFF as a byte
        // leaves. Termination then carries into it, so the cached 0x07 must still be open to become 0x08.
        (uint, int)[] fields = [(128, 12), (1, 13)];
        var stream = EncodeBits(fields);
        Assert.Equal(new byte[] { 0x08 }, stream);
        RoundTrips(stream, fields);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1)]
    public void TinyCapacitiesStillGrow(int capacity)
    {
        var encoder = new RangeEncoder(capacity);
        for (uint k = 0; k < 100; k++) encoder.EncodeBits(k * 613 % 65536, 16);
        var expected = new RangeEncoder();
        for (uint k = 0; k < 100; k++) expected.EncodeBits(k * 613 % 65536, 16);
        Assert.Equal(expected.Finish(), encoder.Finish());
    }

    [Fact]
    public void EncoderArgumentErrorsSayWhatIsWrong()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RangeEncoder().EncodeBits(0, 0));
        Assert.Equal("bits", e.ParamName);
        Assert.StartsWith("1..16 bits at a time", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new RangeEncoder().EncodeBits(8, 3));
        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("does not fit 3 bits", e.Message);
    }

    [Fact]
    public void EveryEntryPointRefusesAFinishedStream()
    {
        var table = CdfTable.FromPmf([0.5, 0.5], 0.01, 0);
        var encoder = new RangeEncoder();
        encoder.EncodeBits(1, 1);
        encoder.Finish();
        var e = Assert.Throws<InvalidOperationException>(() => encoder.EncodeBits(1, 1));
        Assert.Equal("the stream is finished; start a new RangeEncoder", e.Message);
        Assert.Throws<InvalidOperationException>(() => encoder.Encode(0, table));
        Assert.Throws<InvalidOperationException>(() => encoder.EncodeMany([0, 1], TableView.For([table], forDecoding: false)));
    }

    [Fact]
    public void EscapeOfAnInTableValueIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EscapeCode.Overflow(3, 0, 5));
        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("value lies inside the table; it needs no escape", e.Message);
        Assert.Equal(0UL, EscapeCode.Overflow(5, 0, 5));
        Assert.Equal(1UL, EscapeCode.Overflow(-1, 0, 5));
    }

    [Fact]
    public void UnknownVarintStatusIsDescribedAsSuch() =>
        Assert.Equal("unknown varint status", Varint.Describe((VarintStatus)99));
}
