// Decoding work bounded by what is decoded: lookups only for columns that decode enough symbols to pay for them
// (else a binary search over the slots, which must find the same symbol), and streams whose bytes the symbols do
// not all use are rejected with the position.
using Compression.Coding;
using CsCheck;

namespace Compression.Tests.Coding;

public class BoundedDecodingTests
{
    [Fact]
    public void SearchFindsTheSymbolTheLookupFinds() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var table = Samples.RandomTable(rng, rng.Next(2) == 0 ? 20 : 400);
            var lookup = table.Lookup;
            for (uint t = 0; t < table.Total; t += (uint)rng.Next(1, 64)) Assert.Equal(lookup[t], table.IndexAt(t));
            Assert.Equal(lookup[table.Total - 1], table.IndexAt((uint)table.Total - 1));
            Assert.Equal(lookup[0], table.IndexAt(0));
        }, iter: 200);

    [Fact]
    public void SearchHandlesEveryPlaceOfTheMostFrequentSymbol()
    {
        // The most frequent symbol is first, in the middle, last (the escape), or the only one.
        int[][] cases = [[60000, 5000, 536], [5000, 60000, 536], [5000, 536, 60000], [65536], [1, 65535], [65535, 1], [21845, 21846, 21845]];
        foreach (var frequencies in cases)
        {
            var table = CdfTable.FromFrequencies(frequencies, -1, 16);
            var lookup = table.Lookup;
            for (uint t = 0; t < 65536; t++) Assert.Equal(lookup[t], table.IndexAt(t));
        }
    }

    [Fact]
    public void ColumnsWithFewSymbolsDecodeWithoutLookups()
    {
        var rng = new Random(4);
        var tables = Enumerable.Range(0, 8).Select(_ => Samples.RandomTable(rng, 300)).ToArray();
        var values = Samples.DrawColumns(tables, 3, rng);
        var stream = SymbolCoder.Encode(values, tables.Length, tables);
        var fresh = tables.Select(t => CdfTable.FromBytes(t.ToBytes())).ToArray();
        Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, fresh.Length, fresh));
        foreach (var view in TableView.For(fresh, forDecoding: true, values.Length))
        {
            bool pays = view.Table.Total <= TableView.LookupAmortization * 3;
            Assert.Equal(pays, view.ByteLookup != null || view.Lookup != null);
        }
    }

    [Fact]
    public void LookupsAreBuiltOnceAColumnPaysForThem()
    {
        var small = CdfTable.FromPmf(Samples.Laplace(10, 2), 1e-3, -10, precision: 12);   // 22 symbols: byte lookup
        var large = CdfTable.FromPmf(Samples.Laplace(200, 40), 1e-3, -200, precision: 12); // 402 symbols: ushort lookup
        long enough = small.Total / TableView.LookupAmortization;
        Assert.NotNull(new TableView(small, forDecoding: true, enough).ByteLookup);
        Assert.Null(new TableView(small, forDecoding: true, enough - 1).ByteLookup);
        var wide = new TableView(large, forDecoding: true, enough);
        Assert.Null(wide.ByteLookup);
        Assert.NotNull(wide.Lookup);
        Assert.Null(new TableView(large, forDecoding: true, enough - 1).Lookup);
        Assert.Null(new TableView(large, forDecoding: false, long.MaxValue).Lookup);
        // Per column: 9 columns of 4,096-entry tables need 9 * 1,024 symbols before every column gets one.
        var views = TableView.For(Enumerable.Repeat(small, 9).ToArray(), forDecoding: true, 9 * 1024);
        Assert.All(views, v => Assert.NotNull(v.ByteLookup));
        views = TableView.For(Enumerable.Repeat(large, 9).ToArray(), forDecoding: true, 9 * 1024 - 9);
        Assert.All(views, v => Assert.Null(v.Lookup));
    }

    [Fact]
    public void SearchAndLookupDecodeTheSameStreams() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            int columns = rng.Next(1, 5);
            var tables = Enumerable.Range(0, columns).Select(_ => Samples.RandomTable(rng, 300)).ToArray();
            var values = Samples.DrawColumns(tables, rng.Next(1, 400), rng);
            var stream = SymbolCoder.Encode(values, columns, tables);
            var viaSearch = new int[values.Length];
            new RangeDecoder(stream).DecodeMany(viaSearch, TableView.For(tables, forDecoding: true, 0));
            var viaLookup = new int[values.Length];
            new RangeDecoder(stream).DecodeMany(viaLookup, TableView.For(tables, forDecoding: true, long.MaxValue / 8));
            Assert.Equal(values, viaSearch);
            Assert.Equal(values, viaLookup);
        }, iter: 200);

    [Fact]
    public void ThirtyThousandEscapeOnlyTablesBuildNoLookups()
    {
        var tables = Enumerable.Range(0, 30_000).Select(_ => CdfTable.FromBytes([0x0F, 0x00])).ToArray();
        var values = new int[30_000];
        var stream = SymbolCoder.Encode(values, tables.Length, tables);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, tables.Length, tables));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // 30,000 views and the output, nothing like 30,000 lookups of 64 KiB (1.9 GiB).
        Assert.True(allocated < 8 << 20, $"decoding allocated {allocated:N0} bytes");
    }

    [Fact]
    public void DecoderReadsEveryByteOfAnEncodersStream() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var table = Samples.RandomTable(rng, 60);
            var values = Samples.Draw(table, rng.Next(0, 300), rng);
            var stream = SymbolCoder.Encode(values, 1, [table]);
            var decoder = new RangeDecoder(stream);
            foreach (int v in values) Assert.Equal(v, decoder.Decode(table));
            Assert.Equal(stream.Length, decoder.Position);
        }, iter: 300);

    [Fact]
    public void BytesAfterTheLastSymbolAreRejectedWithTheirPosition()
    {
        var table = CdfTable.FromPmf(Samples.Laplace(10, 2), 1e-2, -10);
        var values = Samples.Draw(table, 400, new Random(8));
        var stream = SymbolCoder.Encode(values, 1, [table]);
        // One symbol fewer than coded leaves the stream's last bytes unread.
        var e = Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode(stream, 300, 1, [table]));
        Assert.InRange(e.Position, 4, stream.Length - 1);
        Assert.Contains("follow its last symbol", e.Message);
        Assert.Contains($"at byte {e.Position} of the stream", e.Message);
        // Bytes appended to a valid stream: the decoder's 4-byte window may take up to 4 of them (the encoder dropped
        // trailing zeros there), but not 5.
        var longer = (byte[])[.. stream, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A];
        e = Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode(longer, values.Length, 1, [table]));
        Assert.InRange(e.Position, stream.Length, stream.Length + 4);
        Assert.Equal($"{longer.Length - e.Position} of the stream's {longer.Length} bytes follow its last symbol ({values.Length} symbols)", e.Problem);
        // A zero byte at the end: the encoder never writes one there.
        e = Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode([.. stream, 0], values.Length, 1, [table]));
        Assert.Equal(stream.Length, e.Position);
        Assert.Equal("the stream ends in a zero byte, which the encoder never writes", e.Problem);
        Assert.NotEqual(0, stream[^1]);
        // Zero symbols own no bytes at all.
        Assert.Empty(SymbolCoder.Decode([], 0, 1, [table]));
        // The decoder reads a 4-byte window before the first symbol, so only a fifth byte is certainly left over.
        Assert.Empty(SymbolCoder.Decode([1, 2, 3, 4], 0, 1, [table]));
        Assert.Equal(4, Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode([1, 2, 3, 4, 5], 0, 1, [table])).Position);
    }

    [Fact]
    public void ImpossibleEscapeCodesNameTheirPosition()
    {
        // Escape-only table over a stream of zeros: the escape's Elias-gamma prefix never ends.
        var escapeOnly = CdfTable.FromFrequencies([1 << 16], 0, 16);
        var e = Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode([], 1, 1, [escapeOnly]));
        Assert.Contains($"more than {EscapeCode.MaxPrefixZeros} leading zeros", e.Problem);
        Assert.Equal(0, e.Position);
        var atTop = CdfTable.FromFrequencies([1, (1 << 16) - 1], int.MaxValue - 1, 16);
        var encoder = new RangeEncoder();
        encoder.Encode(int.MaxValue, atTop);           // escape symbol, overflow 0: the gamma code "1"
        var stream = encoder.Finish();
        Assert.Equal(int.MaxValue, SymbolCoder.Decode(stream, 1, 1, [atTop])[0]);
        var far = new RangeEncoder();
        far.Encode(int.MinValue, CdfTable.FromFrequencies([1, (1 << 16) - 1], int.MaxValue - 1, 16));
        var farStream = far.Finish();
        // Decoded with the table it was coded with, that far escape is int.MinValue; with the table moved one value
        // down, the same overflow lands below int.MinValue.
        Assert.Equal(int.MinValue, SymbolCoder.Decode(farStream, 1, 1, [CdfTable.FromFrequencies([1, (1 << 16) - 1], int.MaxValue - 1, 16)])[0]);
        var shifted = CdfTable.FromFrequencies([1, (1 << 16) - 1], int.MaxValue - 2, 16);
        var ex = Assert.Throws<CorruptBitstreamException>(() => SymbolCoder.Decode(farStream, 1, 1, [shifted]));
        Assert.Contains("outside int", ex.Problem);
        Assert.InRange(ex.Position, 1, farStream.Length);
    }
}
