// Varint and zig-zag: round trips, exact sizes, and rejection of truncated, overlong and non-minimal forms.
using Compression.Coding;
using CsCheck;

namespace Compression.Tests.Coding;

public class VarintTests
{
    [Fact]
    public void UnsignedRoundTripsWithExactSize() =>
        Gen.ULong.Sample(v =>
        {
            var buffer = new byte[Varint.MaxBytes];
            int written = Varint.Write(buffer, v);
            Assert.Equal(Varint.Size(v), written);
            Assert.Equal(VarintStatus.Ok, Varint.TryRead(buffer.AsSpan(0, written), out ulong back, out int read));
            Assert.Equal(v, back);
            Assert.Equal(written, read);
        }, iter: 2000);

    [Fact]
    public void ZigZagRoundTripsAndKeepsSmallMagnitudesShort() =>
        Gen.Long.Sample(v =>
        {
            Assert.Equal(v, Varint.UnZigZag(Varint.ZigZag(v)));
            if (v is > -64 and < 64) Assert.Equal(1, Varint.Size(v));
        }, iter: 2000);

    [Theory]
    [InlineData(new byte[] { }, "Truncated")]
    [InlineData(new byte[] { 0x80 }, "Truncated")]
    [InlineData(new byte[] { 0xFF, 0xFF }, "Truncated")]
    [InlineData(new byte[] { 0x80, 0x00 }, "NonMinimal")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, "Overflow")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, "Overflow")]
    public void RejectsBadEncodings(byte[] bytes, string status)
    {
        var expected = Enum.Parse<VarintStatus>(status); // VarintStatus is internal: a public test method cannot take it
        Assert.Equal(expected, Varint.TryRead(bytes, out _, out _));
        Assert.Contains(expected == VarintStatus.Truncated ? "truncated" : expected == VarintStatus.Overflow ? "64 bits" : "non-minimal", Varint.Describe(expected));
    }

    [Fact]
    public void LargestValueUsesTenBytes()
    {
        var buffer = new byte[Varint.MaxBytes];
        Assert.Equal(10, Varint.Write(buffer, ulong.MaxValue));
        Assert.Equal(VarintStatus.Ok, Varint.TryRead(buffer, out ulong back, out _));
        Assert.Equal(ulong.MaxValue, back);
    }
}
