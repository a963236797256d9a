// Known answers that pin the trust core byte for byte and number for number, so that a changed constant, operator or
// aggregate cannot pass unnoticed (each assertion here fails for the mutants a mutation tester makes of these lines):
// varint and zig-zag forms, escape-code overflows and their bit counts, PMF quantisation, the size accounting's sums
// (not maxima), percentages and the rate figures of a group.
using System.Globalization;
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class TrustCoreKnownAnswerTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(16383UL, new byte[] { 0xFF, 0x7F })]
    [InlineData(16384UL, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(0xFFFFFFFFUL, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(1UL << 63, new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void VarintBytesAreKnown(ulong value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxBytes + 2];
        int written = Varint.Write(buffer, value);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.Size(value));
        // read back with trailing bytes after it: exactly its own bytes are consumed
        buffer[written] = 0x7F;
        Assert.Equal("Ok", Varint.TryRead(buffer, out ulong back, out int read).ToString());
        Assert.Equal(value, back);
        Assert.Equal(expected.Length, read);
    }

    [Fact]
    public void VarintStatusesAndBytesReadAtTheEdges()
    {
        Assert.Equal("Truncated", Varint.TryRead([], out ulong v, out int read).ToString());
        Assert.Equal(0, read);
        Assert.Equal("Truncated", Varint.TryRead([0x80, 0x80], out _, out read).ToString());
        Assert.Equal(2, read);
        Assert.Equal("NonMinimal", Varint.TryRead([0xFF, 0x00], out _, out read).ToString());
        Assert.Equal(2, read);
        Assert.Equal("Ok", Varint.TryRead([0x00, 0x00], out v, out read).ToString()); // a lone zero is minimal
        Assert.Equal((0UL, 1), (v, read));
        // the tenth byte may hold only the 64th bit
        byte[] ten = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        Assert.Equal("Ok", Varint.TryRead(ten, out v, out read).ToString());
        Assert.Equal((ulong.MaxValue, 10), (v, read));
        ten[9] = 0x02;
        Assert.Equal("Overflow", Varint.TryRead(ten, out _, out read).ToString());
        Assert.Equal(10, read);
        Assert.Equal(10, Varint.MaxBytes);
        Assert.Equal("truncated varint", Varint.Describe(Enum.Parse<VarintStatus>("Truncated")));
        Assert.Equal("varint exceeds 64 bits", Varint.Describe(Enum.Parse<VarintStatus>("Overflow")));
        Assert.Equal("non-minimal varint encoding", Varint.Describe(Enum.Parse<VarintStatus>("NonMinimal")));
        Assert.Equal("valid varint", Varint.Describe(Enum.Parse<VarintStatus>("Ok")));
    }

    [Theory]
    [InlineData(0L, 0UL)]
    [InlineData(-1L, 1UL)]
    [InlineData(1L, 2UL)]
    [InlineData(-2L, 3UL)]
    [InlineData(2L, 4UL)]
    [InlineData(-64L, 127UL)]
    [InlineData(64L, 128UL)]
    [InlineData(long.MaxValue, ulong.MaxValue - 1)]
    [InlineData(long.MinValue, ulong.MaxValue)]
    public void ZigZagIsKnown(long value, ulong zigzag)
    {
        Assert.Equal(zigzag, Varint.ZigZag(value));
        Assert.Equal(value, Varint.UnZigZag(zigzag));
        Assert.Equal(Varint.Size(zigzag), Varint.Size(value));
    }

    [Theory]
    // a table covering [10, 14): below it 2d - 1, above it 2d, d the distance beyond the table
    [InlineData(9, 10, 4, 1UL)]
    [InlineData(8, 10, 4, 3UL)]
    [InlineData(14, 10, 4, 0UL)]
    [InlineData(15, 10, 4, 2UL)]
    [InlineData(-5, 0, 1, 9UL)]
    // the extremes: at most 2^33 - 2
    [InlineData(int.MaxValue, int.MinValue, 0, (1UL << 33) - 2)]
    [InlineData(int.MinValue, int.MaxValue, 1, (1UL << 33) - 3)]
    public void EscapeOverflowsAreKnown(int value, int offset, int length, ulong overflow)
    {
        Assert.Equal(overflow, EscapeCode.Overflow(value, offset, length));
        Assert.True(EscapeCode.TryValue(overflow, offset, length, out int back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void EscapeCodeEdges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EscapeCode.Overflow(10, 10, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => EscapeCode.Overflow(13, 10, 4));
        // values that do not fit an int, and overflows beyond any valid code, are refused
        Assert.False(EscapeCode.TryValue(2UL * ((long)int.MaxValue - 14 + 1), 10, 4, out _)); // int.MaxValue + 1
        Assert.True(EscapeCode.TryValue(2UL * ((long)int.MaxValue - 14), 10, 4, out int top));
        Assert.Equal(int.MaxValue, top);
        Assert.False(EscapeCode.TryValue((1UL << 34) + 2, 0, 0, out int none));
        Assert.Equal(0, none);
        Assert.Equal(32, EscapeCode.MaxPrefixZeros);
        // Elias-gamma of overflow + 1: significant bits b, 2b - 1 raw bits
        Assert.Equal((1, 1), (EscapeCode.SignificantBits(0), EscapeCode.RawBits(0UL)));
        Assert.Equal((2, 3), (EscapeCode.SignificantBits(1), EscapeCode.RawBits(1UL)));
        Assert.Equal((2, 3), (EscapeCode.SignificantBits(2), EscapeCode.RawBits(2UL)));
        Assert.Equal((3, 5), (EscapeCode.SignificantBits(3), EscapeCode.RawBits(3UL)));
        Assert.Equal((3, 5), (EscapeCode.SignificantBits(6), EscapeCode.RawBits(6UL)));
        Assert.Equal((4, 7), (EscapeCode.SignificantBits(7), EscapeCode.RawBits(7UL)));
        Assert.Equal((33, 65), (EscapeCode.SignificantBits((1UL << 33) - 2), EscapeCode.RawBits((1UL << 33) - 2))); // the largest overflow: gamma of 2^33 - 1
        var table = CdfTable.FromFrequencies([1, 2, 1, 4], 10, 3);
        Assert.Equal(5, EscapeCode.RawBits(table.Offset + table.Length + 3, table)); // overflow 6: gamma of 7, 3 significant bits
        Assert.Equal(3, EscapeCode.RawBits(table.Offset - 1, table));                // overflow 1: gamma of 2
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5 }, 4, new[] { 8, 8 })]
    [InlineData(new[] { 1.0, 0.0 }, 4, new[] { 15, 1 })]
    [InlineData(new[] { 3.0, 1.0 }, 2, new[] { 3, 1 })]
    [InlineData(new[] { 0.25, 0.25, 0.5 }, 3, new[] { 2, 2, 4 })]
    [InlineData(new[] { 1.0, 1.0, 1.0 }, 1, null)]
    public void PmfQuantizationIsKnown(double[] masses, int precision, int[]? expected)
    {
        if (expected is null) { Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize(masses, precision)); return; }
        var f = PmfQuantizer.Quantize(masses, precision);
        Assert.Equal(expected, f);
        Assert.Equal(1 << precision, f.Sum());
    }

    [Fact]
    public void PmfQuantizationRefusesWhatItCannotRound()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PmfQuantizer.Quantize([1.0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PmfQuantizer.Quantize([1.0], CdfTable.MaxPrecision + 1));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([], 4));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([0.0, 0.0], 4));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([1.0, -0.1], 4));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([1.0, double.NaN], 4));
        Assert.Throws<ArgumentException>(() => PmfQuantizer.Quantize([double.MaxValue, double.MaxValue], 4));
    }

    [Fact]
    public void SizeBreakdownSumsPartsOverGroupsAndTheirPercentagesAreExact()
    {
        var model = ModelSamples.Small();
        Assert.True(model.Groups.Count >= 2);
        var sizes = SizeBreakdown.Of(model);
        var inv = CultureInfo.InvariantCulture;
        // a part's bytes are the sum over its groups, not the largest of them
        long bitstreams = model.Groups.Sum(g => (long)g.Bitstream.Length);
        Assert.True(bitstreams > model.Groups.Max(g => g.Bitstream.Length));
        Assert.Equal(bitstreams, sizes.Bytes(SizePart.Bitstream));
        Assert.Equal(model.Groups.Sum(g => (long)g.TableBytes), sizes.Bytes(SizePart.Tables));
        Assert.Equal(model.Groups.Sum(g => sizes.Bytes(SizePart.GroupRecord, g.Name)), sizes.Bytes(SizePart.GroupRecord));
        Assert.Equal(0, sizes.Bytes(SizePart.Bitstream, "no such group"));
        Assert.Equal(0, sizes.Bytes("no such part"));
        Assert.Equal(sizes.Rows.Sum(r => r.Bytes), sizes.TotalBytes);
        Assert.Equal(sizes.TotalBytes, sizes.PaperComparableBytes); // no state
        // percentages of the file's length
        Assert.Equal(100.0, sizes.Percent(sizes.TotalBytes));
        Assert.Equal(0.0, sizes.Percent(0));
        Assert.Equal(100.0 * 4 / sizes.TotalBytes, sizes.Percent(4));
        string text = sizes.ToText();
        string checksumRow = text.Split('\n').Single(l => l.StartsWith(SizePart.Checksum, StringComparison.Ordinal));
        Assert.EndsWith((100.0 * 4 / sizes.TotalBytes).ToString("F2", inv), checksumRow.TrimEnd());
        Assert.Contains(" 4 ", checksumRow);
        string totalRow = text.Split('\n').Single(l => l.StartsWith("total", StringComparison.Ordinal));
        Assert.EndsWith($" {sizes.TotalBytes.ToString(inv)}  100.00", totalRow.TrimEnd());
        Assert.DoesNotContain("without state", text);
    }

    [Fact]
    public void StateIsLeftOutOfThePapersSizeOnly()
    {
        var model = new CompressedModel
        {
            Architecture = "a",
            Method = "m",
            Groups = [],
            SideTensors = [new SideTensor("w", [2], [1, 2]), new SideTensor("s", [3], [1, 2, 3], SideTensorKind.State)],
        };
        var sizes = SizeBreakdown.Of(model);
        Assert.Equal(model.ToBytes().Length, sizes.TotalBytes);
        Assert.Equal(12, sizes.Bytes(SizePart.StateValues));
        Assert.Equal(8, sizes.Bytes(SizePart.SideValues));
        Assert.Equal(sizes.TotalBytes - sizes.Bytes(SizePart.StateValues) - sizes.Bytes(SizePart.StateRecord), sizes.PaperComparableBytes);
        Assert.True(sizes.Bytes(SizePart.StateRecord) > 0);
        var row = sizes.ToText().Split('\n').Single(l => l.StartsWith("without state (papers)", StringComparison.Ordinal));
        Assert.EndsWith(sizes.Percent(sizes.PaperComparableBytes).ToString("F2", CultureInfo.InvariantCulture), row.TrimEnd());
    }

    [Fact]
    public void GroupRateFiguresAreKnown()
    {
        var rate = new GroupRate("g", Symbols: 100, Columns: 1, BitstreamBytes: 25, SelfInformationBits: 160);
        Assert.Equal(20.0, rate.SelfInformationBytes);
        Assert.Equal(5.0, rate.OverheadBytes);
        Assert.Equal(25.0, rate.OverheadPercent);
        Assert.Equal(2.0, rate.BitsPerSymbol);
        var empty = new GroupRate("e", 0, 1, 0, 0);
        Assert.Equal((0.0, 0.0, 0.0), (empty.OverheadPercent, empty.BitsPerSymbol, empty.OverheadBytes));
    }

    [Fact]
    public void SizeBreakdownDecodesNoMoreSymbolsThanTheNetworkHolds()
    {
        var model = ModelSamples.Small();
        long declared = model.Groups.Sum(g => (long)g.SymbolCount);
        Assert.Equal(model.Groups.Count, SizeBreakdown.Of(model, maxSymbols: declared).Groups.Count);
        var e = Assert.Throws<CorruptModelFileException>(() => SizeBreakdown.Of(model, maxSymbols: declared - 1));
        Assert.Contains("tensors", e.Field);
        Assert.Contains($"more than the {declared - 1:N0}", e.Message);
        // without the estimate nothing is decoded, and nothing is bounded
        Assert.Empty(SizeBreakdown.Of(model, estimateSelfInformation: false, maxSymbols: 0).Groups);
    }
}
