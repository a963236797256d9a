// The range coder: round trips over random tables and streams (escapes included), raw bits, bit-exact
// agreement of the per-symbol and bulk paths, short termination, and safe failure on corrupt streams.
using Compression.Coding;
using CsCheck;

namespace Compression.Tests.Coding;

public class RangeCoderTests
{
    [Fact]
    public void RandomTablesAndStreamsRoundTrip() =>
        Gen.Select(Gen.Int, Gen.Int[0, 2000]).Sample((seed, count) =>
        {
            var rng = new Random(seed);
            var table = Samples.RandomTable(rng);
            var values = Samples.Draw(table, count, rng);
            var stream = SymbolCoder.Encode(values, 1, [table]);
            Assert.Equal(values, SymbolCoder.Decode(stream, count, 1, [table]));
        }, iter: 400);

    [Fact]
    public void PerSymbolApiMatchesBulkApiByteForByte() =>
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var tables = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => Samples.RandomTable(rng, 60)).ToArray();
            var values = Samples.DrawColumns(tables, rng.Next(0, 300), rng);
            var encoder = new RangeEncoder();
            for (int k = 0; k < values.Length; k++) encoder.Encode(values[k], tables[k % tables.Length]);
            var stream = encoder.Finish();
            Assert.Equal(stream, SymbolCoder.Encode(values, tables.Length, tables));
            var decoder = new RangeDecoder(stream);
            for (int k = 0; k < values.Length; k++) Assert.Equal(values[k], decoder.Decode(tables[k % tables.Length]));
        }, iter: 200);

    [Fact]
    public void ExtremeEscapesRoundTripForExtremeOffsets()
    {
        int[] values = [int.MinValue, int.MaxValue, int.MinValue + 1, int.MaxValue - 1, 0, -1, 1, 1 << 30, -(1 << 30)];
        foreach (int offset in new[] { int.MinValue, -5, 0, 7, int.MaxValue - 10, int.MaxValue })
        foreach (int precision in new[] { 1, 2, 8, 16 })
        {
            int length = Math.Min(offset == int.MaxValue ? 1 : 11, (1 << precision) - 1);
            var table = CdfTable.FromPmf(Enumerable.Repeat(1.0, length).ToArray(), 0.01, offset, precision);
            var stream = SymbolCoder.Encode(values, 1, [table]);
            Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, 1, [table]));
        }
    }

    [Fact]
    public void EmptyTableEscapesEverything()
    {
        var table = CdfTable.FromPmf(ReadOnlySpan<double>.Empty, 1.0, 0);
        Assert.Equal(0, table.Length);
        int[] values = [0, 5, -5, int.MinValue, int.MaxValue];
        Assert.Equal(values, SymbolCoder.Decode(SymbolCoder.Encode(values, 1, [table]), values.Length, 1, [table]));
    }

    [Fact]
    public void RawBitsInterleaveWithSymbols()
    {
        var rng = new Random(3);
        var table = CdfTable.FromPmf(Samples.Laplace(8, 1.5), 1e-3, -8, 12);
        var ops = Enumerable.Range(0, 5000).Select(_ => (bits: rng.Next(0, 17), value: rng.Next(-20, 20))).ToArray();
        var encoder = new RangeEncoder();
        foreach (var (bits, value) in ops)
        {
            if (bits == 0) encoder.Encode(value, table);
            else encoder.EncodeBits((uint)(value & ((1 << bits) - 1)), bits);
        }
        var decoder = new RangeDecoder(encoder.Finish());
        foreach (var (bits, value) in ops)
        {
            if (bits == 0) Assert.Equal(value, decoder.Decode(table));
            else Assert.Equal((uint)(value & ((1 << bits) - 1)), decoder.DecodeBits(bits));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeEncoder().EncodeBits(4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeEncoder().EncodeBits(0, 17));
    }

    [Fact]
    public void EmptyAndCertainStreamsCostNothing()
    {
        var table = CdfTable.FromPmf([1.0, 0.0, 0.0], 0, 0);
        Assert.Empty(SymbolCoder.Encode([], 1, [table]));
        Assert.Empty(new RangeEncoder().Finish());
        // The most probable symbol sits last in coding order; a long run of it still codes to a few bytes.
        var run = new int[100_000];
        var stream = SymbolCoder.Encode(run, 1, [table]);
        Assert.True(stream.Length <= SelfInformation.Bytes(SelfInformation.Bits(run, 1, [table])) + 2, $"{stream.Length} bytes");
        Assert.Equal(run, SymbolCoder.Decode(stream, run.Length, 1, [table]));
    }

    [Fact]
    public void TerminationCostsAtMostTwoBytesOverTheEstimate() =>
        Gen.Select(Gen.Int, Gen.Int[0, 64]).Sample((seed, count) =>
        {
            var rng = new Random(seed);
            var table = CdfTable.FromPmf(Samples.Laplace(20, 0.5 + 3 * rng.NextDouble()), 1e-4, -20);
            var values = Samples.Draw(table, count, rng);
            var stream = SymbolCoder.Encode(values, 1, [table]);
            double bits = SelfInformation.Bits(values, 1, [table]);
            Assert.True(stream.Length <= Math.Ceiling(bits / 8) + 2, $"{stream.Length} bytes for {bits:F1} bits");
        }, iter: 500);

    [Fact]
    public void UseAfterFinishIsAnError()
    {
        var encoder = new RangeEncoder();
        encoder.Finish();
        Assert.Throws<InvalidOperationException>(() => encoder.Finish());
        Assert.Throws<InvalidOperationException>(() => encoder.Encode(0, CdfTable.FromPmf([1.0], 0, 0)));
    }

    [Fact]
    public void KnownStreamStaysBitExact()
    {
        // Pins the bitstream format: any change to the coder or to the table rounding shows here.
        var table = CdfTable.FromPmf(Samples.Laplace(6, 1.2), 1e-3, -6);
        int[] values = [0, 0, 1, -1, 3, 0, -2, 0, 0, 100, 0, -7, 2, 0, 1, int.MinValue, 0];
        var stream = SymbolCoder.Encode(values, 1, [table]);
        Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, 1, [table]));
        Assert.Equal(KnownStream, Convert.ToHexString(stream));
    }

    const string KnownStream = "E59BE354BF6827E47CA729970000CD5BFFF7";

    [Fact]
    public void CorruptStreamsFailSafely()
    {
        var rng = new Random(5);
        var table = CdfTable.FromPmf(Samples.Laplace(10, 2), 1e-2, -10);
        var stream = SymbolCoder.Encode(Samples.Draw(table, 500, rng), 1, [table]);
        for (int i = 0; i < 3000; i++)
        {
            var bad = (byte[])stream.Clone();
            if (rng.Next(2) == 0) rng.NextBytes(bad);
            else bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8));
            try { SymbolCoder.Decode(bad.AsSpan(0, rng.Next(bad.Length + 1)), 500, 1, [table]); }
            catch (CorruptBitstreamException e) { Assert.InRange(e.Position, 0, bad.Length); }
        }
    }

    [Fact]
    public void FreshTablesDecodeConcurrently()
    {
        // Lookup tables are built lazily; threads racing to build them must all decode correctly.
        for (int round = 0; round < 20; round++)
        {
            var rng = new Random(round);
            var table = Samples.RandomTable(rng, 200);
            var values = Samples.Draw(table, 2000, rng);
            var stream = SymbolCoder.Encode(values, 1, [table]);
            var copy = CdfTable.FromBytes(table.ToBytes());
            Parallel.For(0, 4, _ => Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, 1, [copy])));
        }
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var table = CdfTable.FromPmf([1.0], 0, 0);
        Assert.Throws<ArgumentException>(() => SymbolCoder.Encode([0, 0], 2, [table]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymbolCoder.Encode([0], 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymbolCoder.Decode([], -1, 1, [table]));
    }
}
