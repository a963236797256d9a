// Test inputs for the coder: discretized Laplace/Gaussian PMFs and symbol streams drawn from a table,
// with escape values (far tails, int.MinValue/MaxValue) mixed in.
using Compression.Coding;

namespace Compression.Tests.Coding;

static class Samples
{
    /// <summary>P(k) proportional to exp(-|k| / scale) for k in [-halfWidth, halfWidth].</summary>
    public static double[] Laplace(int halfWidth, double scale) =>
        Enumerable.Range(-halfWidth, 2 * halfWidth + 1).Select(k => Math.Exp(-Math.Abs(k) / scale)).ToArray();

    /// <summary>P(k) proportional to exp(-k^2 / 2 sigma^2) for k in [-halfWidth, halfWidth].</summary>
    public static double[] Gaussian(int halfWidth, double sigma) =>
        Enumerable.Range(-halfWidth, 2 * halfWidth + 1).Select(k => Math.Exp(-0.5 * k * k / (sigma * sigma))).ToArray();

    /// <summary>A value the table must escape: just outside, far outside, or at the ends of int.</summary>
    public static int EscapeValue(CdfTable table, Random rng)
    {
        long below = (long)table.Offset - 1, above = (long)table.Offset + table.Length;
        long v = rng.Next(6) switch
        {
            0 => below,
            1 => above,
            2 => below - rng.Next(1, 1 << 20),
            3 => above + rng.Next(1, 1 << 20),
            4 => int.MinValue + rng.Next(3),
            _ => int.MaxValue - rng.Next(3),
        };
        v = Math.Clamp(v, int.MinValue, int.MaxValue);
        // An end of int can fall inside a table that reaches it; fall back to the other end.
        if (table.Contains((int)v)) v = table.Contains(int.MinValue) ? int.MaxValue : int.MinValue;
        if (table.Contains((int)v)) throw new InvalidOperationException("table covers both ends of int");
        return (int)v;
    }

    /// <summary>Draws values with the table's own quantized probabilities; escapes become <see cref="EscapeValue"/>.</summary>
    public static int[] Draw(CdfTable table, int count, Random rng)
    {
        var cumulative = new int[table.Length + 2];
        for (int i = 0; i <= table.Length; i++) cumulative[i + 1] = cumulative[i] + table.Frequencies[i];
        var values = new int[count];
        for (int k = 0; k < count; k++)
        {
            int u = rng.Next(table.Total);
            int index = Array.BinarySearch(cumulative, u + 1);
            index = index >= 0 ? index - 1 : ~index - 1;
            values[k] = index == table.Length ? EscapeValue(table, rng) : table.Offset + index;
        }
        return values;
    }

    /// <summary>Values for a d x l group: column c drawn from tables[c].</summary>
    public static int[] DrawColumns(IReadOnlyList<CdfTable> tables, int rows, Random rng)
    {
        int columns = tables.Count;
        var values = new int[rows * columns];
        for (int c = 0; c < columns; c++)
        {
            var column = Draw(tables[c], rows, rng);
            for (int r = 0; r < rows; r++) values[r * columns + c] = column[r];
        }
        return values;
    }

    /// <summary>A random table: peaked, flat, one-symbol or arbitrary masses, random tail mass, offset and precision.</summary>
    public static CdfTable RandomTable(Random rng, int maxLength = 300)
    {
        int precision = rng.Next(1, 17);
        int length = Math.Min(rng.Next(0, maxLength + 1), (1 << precision) - 1);
        double[] pmf = rng.Next(4) switch
        {
            0 => Laplace(length / 2, 0.2 + 5 * rng.NextDouble()).Take(length).ToArray(),
            1 => Enumerable.Repeat(1.0, length).ToArray(),
            2 => Enumerable.Range(0, length).Select(i => i == length / 2 ? 1.0 : 0.0).ToArray(),
            _ => Enumerable.Range(0, length).Select(_ => Math.Pow(rng.NextDouble(), 4)).ToArray(),
        };
        double tail = rng.Next(3) switch { 0 => 0, 1 => 1e-9, _ => rng.NextDouble() * 0.1 };
        if (pmf.Sum() + tail == 0) tail = 1;
        int offset = rng.Next(4) switch
        {
            0 => -length / 2,
            1 => rng.Next(-1000, 1000),
            2 => int.MinValue,
            _ => int.MaxValue - length + 1,
        };
        return CdfTable.FromPmf(pmf, tail, offset, precision);
    }
}
