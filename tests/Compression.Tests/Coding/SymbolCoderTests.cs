// Group coding at scale: many columns, coded length against self-information on 10^5+ symbols, and large
// alphabets.
using Compression.Coding;

namespace Compression.Tests.Coding;

public class SymbolCoderTests
{
    static void AssertNearSelfInformation(int[] values, int columns, IReadOnlyList<CdfTable> tables, double relative = 0.005, int slackBytes = 4)
    {
        var stream = SymbolCoder.Encode(values, columns, tables);
        double bytes = SelfInformation.Bits(values, columns, tables) / 8;
        Assert.True(stream.Length <= bytes * (1 + relative) + slackBytes,
            $"{stream.Length} bytes coded vs {bytes:F1} bytes of self-information ({(stream.Length / bytes - 1) * 100:F3}% over)");
        Assert.Equal(values, SymbolCoder.Decode(stream, values.Length, columns, tables));
    }

    [Theory]
    [InlineData(0.3, 16)]
    [InlineData(1.5, 16)]
    [InlineData(6.0, 16)]
    [InlineData(1.5, 12)]
    [InlineData(1.5, 8)]
    public void LaplaceStreamComesWithinHalfAPercentOfItsSelfInformation(double scale, int precision)
    {
        var table = CdfTable.FromPmf(Samples.Laplace(60, scale), 1e-5, -60, precision);
        AssertNearSelfInformation(Samples.Draw(table, 200_000, new Random(1)), 1, [table]);
    }

    [Fact]
    public void NineColumnGroupWithDifferentTablesPerColumn()
    {
        var rng = new Random(2);
        var tables = Enumerable.Range(0, 9)
            .Select(c => CdfTable.FromPmf(Samples.Gaussian(40, 0.5 + c), 1e-4, -40 + c, precision: 10 + c % 7))
            .ToArray();
        AssertNearSelfInformation(Samples.DrawColumns(tables, 20_000, rng), 9, tables);
    }

    [Fact]
    public void LargeAlphabetStreams()
    {
        var rng = new Random(4);
        foreach (int n in new[] { 10_000, 65_535 })
        {
            var table = CdfTable.FromPmf(Samples.Gaussian(n / 2, n / 8.0).Take(n).ToArray(), 1e-3, -n / 2);
            AssertNearSelfInformation(Samples.Draw(table, 100_000, rng), 1, [table]);
        }
    }

    [Fact]
    public void HundredThousandValueAlphabetThroughATruncatedTable()
    {
        // Values spread over 10^5 integers; the table covers the central 2^16 - 1 and escapes the rest.
        var rng = new Random(6);
        var values = Enumerable.Range(0, 100_000).Select(_ => rng.Next(-50_000, 50_000)).ToArray();
        var counts = new double[65_535];
        foreach (int v in values) if (v + 32_767 is >= 0 and < 65_535) counts[v + 32_767]++;
        int escapes = values.Count(v => v + 32_767 is < 0 or >= 65_535);
        var table = CdfTable.FromPmf(counts, escapes, -32_767);
        AssertNearSelfInformation(values, 1, [table]);
    }

    [Fact]
    public void EscapeHeavyStream()
    {
        var rng = new Random(8);
        var table = CdfTable.FromPmf(Samples.Laplace(3, 1), 0.3, -3);
        AssertNearSelfInformation(Samples.Draw(table, 100_000, rng), 1, [table], relative: 0.01);
    }
}
