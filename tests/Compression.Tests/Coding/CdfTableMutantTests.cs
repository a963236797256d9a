// Known answers for one small table, byte for byte and bit for bit: FromFrequencies([1, 2, 1, 4], offset 10,
// 3-bit) serialises to 32 14 00 01 00, its escape probability is 1/2, its symbols cost 3, 2, 3 bits and its escapes
// 1 bit plus the Elias-gamma bits; the most frequent symbol (lowest index on ties) codes last; equality and hashing see
// offset and frequencies; the cached lookups are built once; every malformed field is refused with the exception type
// and message the code documents; self-information sums columns exactly; the group coder checks its arguments
// before it allocates.
using Compression.Coding;

namespace Compression.Tests.Coding;

public class CdfTableMutantTests
{
    static CdfTable Small() => CdfTable.FromFrequencies([1, 2, 1, 4], offset: 10, precision: 3);

    static readonly byte[] SmallBytes = [0x32, 0x14, 0x00, 0x01, 0x00]; // (3 << 4 | 2), zig-zag 10, f - 1 per symbol

    [Fact]
    public void SmallTableHasKnownAccessorsAndBits()
    {
        var table = Small();
        Assert.Equal((10, 3, 3, 8, 4), (table.Offset, table.Length, table.Precision, table.Total, table.EscapeFrequency));
        Assert.Equal(0.5, table.EscapeProbability);
        Assert.Equal(3.0, table.Bits(10));
        Assert.Equal(2.0, table.Bits(11));
        Assert.Equal(3.0, table.Bits(12));
        Assert.Equal(1.0 + 1, table.Bits(13)); // escape (1 bit), overflow 0: gamma of 1
        Assert.Equal(1.0 + 3, table.Bits(9));  // escape, overflow 1: gamma of 2
        Assert.Equal("CdfTable [10, 13) + escape, 3-bit, 5 bytes", table.ToString());
    }

    [Fact]
    public void SmallTableSerialisesToKnownBytes()
    {
        var table = Small();
        Assert.Equal(5, table.SerializedSize);
        Assert.Equal(SmallBytes, table.ToBytes());
        var exact = new byte[5];
        Assert.Equal(5, table.WriteTo(exact));
        Assert.Equal(SmallBytes, exact);
        var small = Assert.Throws<ArgumentException>(() => table.WriteTo(new byte[4]));
        Assert.StartsWith("need 5 bytes, have 4", small.Message);
        Assert.Equal(table, CdfTable.FromBytes(SmallBytes));
    }

    [Fact]
    public void MostFrequentSymbolCodesLastWithTiesToTheLowestIndex()
    {
        Assert.Equal(1, CdfTable.LastInCodingOrder([1, 3, 3, 1]));
        Assert.Equal(0, CdfTable.LastInCodingOrder([2, 2, 2, 2]));
        var table = CdfTable.FromFrequencies([1, 3, 3, 1], 0, 3);
        // coding order 0, 2, 3, 1: symbol 1 starts at 1 + 3 + 1 and takes the range remainder
        Assert.Equal((5u, 3u, uint.MaxValue), (table.Slots[1].Start, table.Slots[1].Frequency, table.Slots[1].RemainderMask));
        Assert.Equal((1u, 0u), (table.Slots[2].Start, table.Slots[2].RemainderMask));
    }

    [Fact]
    public void LookupsAreKnownAndBuiltOnce()
    {
        var table = Small();
        // coding order 0, 1, 2, then 3 (the most frequent)
        Assert.Equal(new ushort[] { 0, 1, 1, 2, 3, 3, 3, 3 }, table.Lookup);
        Assert.Equal(new byte[] { 0, 1, 1, 2, 3, 3, 3, 3 }, table.ByteLookup);
        Assert.Same(table.Lookup, table.Lookup);
        Assert.Same(table.ByteLookup, table.ByteLookup);
    }

    [Fact]
    public void ByteLookupServesTablesOfAtMost256Symbols()
    {
        // 255 symbols + escape = 256 slots: every index fits a byte. Symbol 0 ties as most frequent and goes last.
        var full = CdfTable.FromFrequencies(Enumerable.Repeat(1, 256).ToArray(), 0, 8);
        var bytes = full.ByteLookup;
        Assert.NotNull(bytes);
        Assert.Equal((byte)1, bytes[0]);
        Assert.Equal((byte)255, bytes[254]);
        Assert.Equal((byte)0, bytes[255]);
        // 257 slots do not.
        var over = CdfTable.FromFrequencies([256, .. Enumerable.Repeat(1, 256)], 0, 9);
        Assert.Null(over.ByteLookup);
        Assert.Equal((ushort)256, over.Lookup[255]);
        Assert.Equal((ushort)0, over.Lookup[511]);
    }

    [Fact]
    public void EqualityAndHashSeeOffsetAndFrequencies()
    {
        var table = Small();
        var moved = CdfTable.FromFrequencies([1, 2, 1, 4], offset: 11, precision: 3);
        var reweighted = CdfTable.FromFrequencies([2, 1, 1, 4], offset: 10, precision: 3);
        Assert.True(table.Equals(Small()));
        Assert.Equal(Small().GetHashCode(), table.GetHashCode());
        Assert.False(table.Equals(moved));
        Assert.False(table.Equals(reweighted));
        Assert.False(table.Equals((CdfTable?)null));
        Assert.False(table.Equals((object?)null));
        Assert.False(table.Equals(CdfTable.FromFrequencies([1, 1], offset: 10, precision: 1)));
        // HashCode is seeded per process: a collision of these distinct tables has probability 2^-32.
        Assert.NotEqual(table.GetHashCode(), moved.GetHashCode());
        Assert.NotEqual(table.GetHashCode(), reweighted.GetHashCode());
    }

    [Fact]
    public void FromFrequenciesRefusalsNameTheProblem()
    {
        var empty = Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([], 0, 2));
        Assert.StartsWith("a table needs at least the escape symbol's frequency", empty.Message);
        var zero = Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([2, 1, 0, 1], 0, 2));
        Assert.StartsWith("frequency 2 is 0; every symbol needs >= 1", zero.Message);
        var sum = Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([2, 1], 0, 2));
        Assert.StartsWith("frequencies sum to 3, not 2^2 = 4", sum.Message);
        var past = Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([1, 1, 2], int.MaxValue, 2));
        Assert.StartsWith("table [2147483647, 2147483647+2) runs past int.MaxValue", past.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void PrecisionOutsideOneToSixteenIsOutOfRange(int precision)
    {
        var fromFrequencies = Assert.Throws<ArgumentOutOfRangeException>(() => CdfTable.FromFrequencies([1, 1], 0, precision));
        Assert.StartsWith("precision must be 1..16", fromFrequencies.Message);
        Assert.Equal("precision", fromFrequencies.ParamName);
        var fromPmf = Assert.Throws<ArgumentOutOfRangeException>(() => CdfTable.FromPmf([1.0], 0.0, 0, precision));
        Assert.StartsWith("precision must be 1..16", fromPmf.Message);
    }

    [Fact]
    public void ATableMayHoldAtMostTotalMinusOneSymbols()
    {
        // 3 symbols + escape fill 2 bits exactly; 4 or 5 symbols do not fit.
        Assert.Equal(3, CdfTable.FromFrequencies([1, 1, 1, 1], 0, 2).Length);
        Assert.Equal(3, CdfTable.FromPmf([1.0, 1.0, 1.0], 1.0, 0, 2).Length);
        foreach (int n in new[] { 4, 5 })
        {
            var frequencies = Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies(Enumerable.Repeat(1, n + 1).ToArray(), 0, 2));
            Assert.StartsWith($"{n} symbols plus the escape do not fit 2-bit precision (at most 3 symbols)", frequencies.Message);
            var pmf = Assert.Throws<ArgumentException>(() => CdfTable.FromPmf(new double[n], 1.0, 0, 2));
            Assert.StartsWith($"{n} symbols plus the escape do not fit 2-bit precision (at most 3 symbols)", pmf.Message);
        }
    }

    [Fact]
    public void ReaderRefusalsNameTheFieldAndItsByte()
    {
        var trailing = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([.. SmallBytes, 0xAA, 0xBB]));
        Assert.Equal("2 bytes follow the table", trailing.Message);
        var header = Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes([]));
        Assert.Equal("input ends inside the table header (byte 0)", header.Message);
        var offset = Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes([0x32]));
        Assert.Equal("input ends inside the table offset (byte 1)", offset.Message);
        var frequency = Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes([0x32, 0x14, 0x00, 0x00, 0x81]));
        Assert.Equal("input ends inside the table frequency (byte 4)", frequency.Message);
        var remain = Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes([0x32, 0x14, 0x00]));
        Assert.Equal("table claims 3 frequencies but only 1 bytes remain (byte 2)", remain.Message);
        // header 0x41: length 4 at 2-bit precision, which holds at most 3
        var length = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x41, 0x00, 0x00, 0x00, 0x00, 0x00]));
        Assert.Equal("table length 4 exceeds 3, the most a 2-bit table holds (byte 0)", length.Message);
        var nonMinimalHeader = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x80, 0x00, 0x00]));
        Assert.Equal("non-minimal varint encoding in table header (byte 0)", nonMinimalHeader.Message);
        var nonMinimalFrequency = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x32, 0x14, 0x80, 0x00, 0x00, 0x00]));
        Assert.Equal("non-minimal varint encoding in table frequency (byte 2)", nonMinimalFrequency.Message);
        // a frequency equal to the whole total (3 + 1 = 4 at 2 bits) leaves the escape nothing
        var whole = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x11, 0x00, 0x03]));
        Assert.Equal("table frequencies exceed 2^2 - 1 at symbol 0, leaving the escape symbol no count (byte 2)", whole.Message);
    }

    [Fact]
    public void SelfInformationSumsColumnsExactly()
    {
        var first = Small();
        var second = CdfTable.FromFrequencies([1, 1], offset: 0, precision: 1); // every symbol 1 bit
        // column 0: 10 -> 3, 11 -> 2; column 1: 0 -> 1, 5 -> escape 1 + gamma of overflow 8 + 1 (4 bits -> 7)
        Assert.Equal(14.0, SelfInformation.Bits([10, 0, 11, 5], 2, [first, second]));
        Assert.Equal(3.0 + 2 + 2 + 4, SelfInformation.Bits([10, 11, 13, 9], 1, [first]));
        Assert.Equal(0.0, SelfInformation.Bits([], 1, [first]));
        Assert.Equal(4.0, SelfInformation.Bits(9, first));
        Assert.Equal(0, SelfInformation.Bytes(0));
        Assert.Equal(2, SelfInformation.Bytes(14));
        Assert.Equal(2, SelfInformation.Bytes(16));
        Assert.Equal(3, SelfInformation.Bytes(16.5));
    }

    [Fact]
    public void SelfInformationChecksColumnsAndTables()
    {
        var table = Small();
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => SelfInformation.Bits([10], 0, []));
        Assert.StartsWith("a group has at least one column", columns.Message);
        Assert.Equal("columns", columns.ParamName);
        var count = Assert.Throws<ArgumentException>(() => SelfInformation.Bits([10], 1, [table, table]));
        Assert.StartsWith("2 tables for 1 columns; need one per column", count.Message);
        count = Assert.Throws<ArgumentException>(() => SelfInformation.Bits([10, 10], 2, [table]));
        Assert.StartsWith("1 tables for 2 columns; need one per column", count.Message);
    }

    [Fact]
    public void SymbolCoderChecksItsArgumentsFirst()
    {
        var table = Small();
        Assert.Throws<ArgumentNullException>(() => SymbolCoder.Encode([10], 1, null!));
        Assert.Throws<ArgumentNullException>(() => SymbolCoder.Decode([], 1, 1, null!));
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => SymbolCoder.Encode([10], 0, [table]));
        Assert.StartsWith("a group has at least one column", columns.Message);
        var count = Assert.Throws<ArgumentException>(() => SymbolCoder.Encode([10], 1, [table, table]));
        Assert.StartsWith("2 tables for 1 columns; need one per column", count.Message);
        var missing = Assert.Throws<ArgumentException>(() => SymbolCoder.Encode([10, 10], 2, [table, null!]));
        Assert.StartsWith("table 1 is null", missing.Message);
        // the tables are checked before the output array is allocated: no attempt at 2^31 - 1 symbols
        Assert.Throws<ArgumentOutOfRangeException>(() => SymbolCoder.Decode([], int.MaxValue, 0, [table]));
        Assert.Throws<ArgumentException>(() => SymbolCoder.Decode([], int.MaxValue, 2, [table]));
    }

    [Fact]
    public void SymbolCoderRoundTripsTheSmallTableWithEscapes()
    {
        int[] values = [10, 13, 13, 11, 9, 12, 13, -5, 13, 13];
        var stream = SymbolCoder.Encode(values, 1, [Small()]);
        Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, 1, [Small()]));
    }
}
