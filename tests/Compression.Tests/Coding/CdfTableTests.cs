// CdfTable: construction invariants, accessors, compact serialization and a reader that rejects bad input.
using Compression.Coding;
using CsCheck;

namespace Compression.Tests.Coding;

public class CdfTableTests
{
    [Fact]
    public void FromPmfSatisfiesTheInvariants() =>
        Gen.Int.Sample(seed =>
        {
            var table = Samples.RandomTable(new Random(seed));
            Assert.Equal(table.Length + 1, table.Frequencies.Count);
            Assert.All(table.Frequencies, f => Assert.True(f >= 1));
            Assert.Equal(table.Total, table.Frequencies.Sum());
            Assert.Equal(1 << table.Precision, table.Total);
            Assert.Equal(table.Frequencies[^1], table.EscapeFrequency);
        }, iter: 300);

    [Fact]
    public void AccessorsSeeValuesAndEscapes()
    {
        var table = CdfTable.FromPmf([1.0, 2.0, 1.0], 0.0, offset: -1, precision: 8);
        Assert.Equal(-1, table.Offset);
        Assert.Equal(3, table.Length);
        Assert.Equal(8, table.Precision);
        Assert.True(table.Contains(-1) && table.Contains(1) && !table.Contains(2) && !table.Contains(-2));
        Assert.Equal(table.Frequencies[1], table.Frequency(0));
        Assert.Equal(table.EscapeFrequency, table.Frequency(int.MaxValue));
        Assert.Equal(1, table.EscapeFrequency);
        Assert.Equal(table.Frequency(0) / 256.0, table.Probability(0));
        Assert.Equal(8 - Math.Log2(table.Frequency(1)), table.Bits(1), 12);
        // Escape: symbol cost plus Elias-gamma bits of overflow + 1 (value 2 is overflow 0 -> 1 bit).
        Assert.Equal(8 - Math.Log2(1) + 1, table.Bits(2), 12);
        Assert.Equal(8 + 3, table.Bits(-2), 12);
    }

    [Fact]
    public void PeakedPmfFollowsTheProbabilities()
    {
        var pmf = Samples.Laplace(30, 1.5);
        var table = CdfTable.FromPmf(pmf, 1e-9, -30);
        double sum = pmf.Sum();
        for (int k = -30; k <= 30; k++)
        {
            double p = pmf[k + 30] / sum;
            Assert.InRange(table.Probability(k), Math.Max(p * 0.98 - 1.0 / 65536, 0), p * 1.02 + 2.0 / 65536);
        }
        Assert.Equal(1, table.EscapeFrequency);
    }

    [Fact]
    public void OneSymbolTableGivesEverythingElseTheMinimum()
    {
        var table = CdfTable.FromPmf([0.0, 0.0, 1.0, 0.0], 0.0, offset: 10);
        Assert.Equal(65536 - 4, table.Frequency(12));
        Assert.Equal(1, table.Frequency(10));
        Assert.Equal(1, table.EscapeFrequency);
    }

    [Fact]
    public void HugeAlphabetsUpToThePrecisionLimit()
    {
        foreach (int n in new[] { 10_000, 65_535 })
        {
            var pmf = Samples.Gaussian(n / 2, n / 6.0).Take(n).ToArray();
            var table = CdfTable.FromPmf(pmf, 1e-3, -n / 2);
            Assert.Equal(n, table.Length);
            Assert.Equal(65536, table.Frequencies.Sum());
            Assert.Equal(table, CdfTable.FromBytes(table.ToBytes()));
        }
        var error = Assert.Throws<ArgumentException>(() => CdfTable.FromPmf(new double[100_000], 1, 0));
        Assert.Contains("do not fit", error.Message);
    }

    [Fact]
    public void FloatPmfMatchesDoublePmf()
    {
        var pmf = Samples.Laplace(20, 2).Select(x => (float)x).ToArray();
        Assert.Equal(CdfTable.FromPmf(pmf.Select(x => (double)x).ToArray(), 1e-4f, -20), CdfTable.FromPmf(pmf, 1e-4f, -20));
    }

    [Fact]
    public void FromFrequenciesValidates()
    {
        Assert.Equal(2, CdfTable.FromFrequencies([2, 1, 1], offset: 0, precision: 2).Frequency(0));
        Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([2, 1, 0, 1], 0, 2));
        Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([2, 1], 0, 2));
        Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([], 0, 2));
        Assert.Throws<ArgumentException>(() => CdfTable.FromFrequencies([1, 1, 2], int.MaxValue, 2));
        Assert.Equal(int.MaxValue, CdfTable.FromFrequencies([1, 1], int.MaxValue, 1).Offset);
    }

    [Fact]
    public void SerializationRoundTripsWithKnownSize() =>
        Gen.Int.Sample(seed =>
        {
            var table = Samples.RandomTable(new Random(seed));
            var bytes = table.ToBytes();
            Assert.Equal(table.SerializedSize, bytes.Length);
            var back = CdfTable.ReadFrom([.. bytes, 0xAB], out int read);
            Assert.Equal(bytes.Length, read);
            Assert.Equal(table, back);
            Assert.Equal(table.GetHashCode(), back.GetHashCode());
        }, iter: 300);

    [Fact]
    public void SerializationIsCompact()
    {
        // 61 symbols of a peaked 16-bit table: 2 header bytes, 1 offset byte, 1-3 bytes a frequency.
        var table = CdfTable.FromPmf(Samples.Laplace(30, 2), 1e-6, -30);
        Assert.InRange(table.SerializedSize, 3 + 61, 3 + 61 * 2);
    }

    [Fact]
    public void ReaderRejectsEveryTruncation()
    {
        var bytes = CdfTable.FromPmf(Samples.Laplace(10, 2), 1e-3, -10).ToBytes();
        for (int cut = 0; cut < bytes.Length; cut++)
            Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes(bytes.AsSpan(0, cut)));
        Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([.. bytes, 0]));
    }

    [Fact]
    public void ReaderRejectsOutOfRangeFields()
    {
        // Length 16 at precision 4 (16 + escape > 2^4).
        var e = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x83, 0x02, 0x00]));
        Assert.Contains("exceeds", e.Message);
        // Frequencies using up the whole total: escape would get 0. Length 1, precision 2, freq 4.
        e = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x11, 0x00, 0x03]));
        Assert.Contains("escape", e.Message);
        // Offset above int.
        e = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x0F, 0x80, 0x80, 0x80, 0x80, 0x10]));
        Assert.Contains("int range", e.Message);
        // Huge claimed length with few bytes behind it: rejected before allocating.
        e = Assert.Throws<InvalidDataException>(() => CdfTable.FromBytes([0x8F, 0x80, 0x40, 0x00]));
        Assert.Contains("exceeds", e.Message);
        var end = Assert.Throws<EndOfStreamException>(() => CdfTable.FromBytes([0xFF, 0xFF, 0x0F, 0x00, 0x01]));
        Assert.Contains("remain", end.Message);
    }

    [Fact]
    public void ReaderNeverThrowsAnythingElseOnRandomBytes()
    {
        var rng = new Random(11);
        var buffer = new byte[40];
        for (int i = 0; i < 20_000; i++)
        {
            int n = rng.Next(buffer.Length);
            rng.NextBytes(buffer.AsSpan(0, n));
            try { CdfTable.ReadFrom(buffer.AsSpan(0, n), out _); }
            catch (InvalidDataException) { }
            catch (EndOfStreamException) { }
        }
    }
}
