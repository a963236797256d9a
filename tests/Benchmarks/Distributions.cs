// The symbol sources of the coder benchmark: discretized Laplace and Gaussian PMFs tuned to a target
// entropy (EPR's latents after training are peaked integers with a few bits of entropy), and draws from them.
using Compression.Coding;

namespace Benchmarks;

static class Distributions
{
    public static double[] Laplace(int halfWidth, double scale) =>
        Enumerable.Range(-halfWidth, 2 * halfWidth + 1).Select(k => Math.Exp(-Math.Abs(k) / scale)).ToArray();

    public static double[] Gaussian(int halfWidth, double sigma) =>
        Enumerable.Range(-halfWidth, 2 * halfWidth + 1).Select(k => Math.Exp(-0.5 * k * k / (sigma * sigma))).ToArray();

    public static double Entropy(double[] pmf)
    {
        double sum = pmf.Sum(), h = 0;
        foreach (double p in pmf) if (p > 0) h -= p / sum * Math.Log2(p / sum);
        return h;
    }

    /// <summary>The scale (found by bisection) at which <paramref name="family"/> has <paramref name="bits"/> of entropy.</summary>
    public static double ScaleForEntropy(Func<double, double[]> family, double bits)
    {
        double lo = 0.01, hi = 1000;
        for (int i = 0; i < 100; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            if (Entropy(family(mid)) < bits) lo = mid; else hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }

    /// <summary>Values drawn with the table's quantized probabilities (escapes: values just past the table's ends).</summary>
    public static int[] Draw(CdfTable table, int count, Random rng)
    {
        var cumulative = new int[table.Length + 2];
        for (int i = 0; i <= table.Length; i++) cumulative[i + 1] = cumulative[i] + table.Frequencies[i];
        // Index of the symbol for each of the 2^precision positions, for fast sampling.
        var symbolAt = new int[table.Total];
        for (int i = 0; i <= table.Length; i++) symbolAt.AsSpan(cumulative[i], table.Frequencies[i]).Fill(i);
        var values = new int[count];
        for (int k = 0; k < count; k++)
        {
            int index = symbolAt[rng.Next(table.Total)];
            values[k] = index < table.Length ? table.Offset + index
                : rng.Next(2) == 0 ? table.Offset - 1 - rng.Next(100) : table.Offset + table.Length + rng.Next(100);
        }
        return values;
    }

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
}
