// Rate-optimal integer rounding of a PMF to frequencies summing exactly to 2^precision, every entry >= 1:
// start from max(round(p * 2^prec), 1), then add or remove single counts where the change in expected
// code length is smallest (as tensorflow-compression's pmf_to_quantized_cdf), then exchange counts
// between entries while that still shortens the expected code. Ties go to the lowest index.
namespace Compression.Coding;

internal static class PmfQuantizer
{
    /// <summary>
    /// Frequencies for <paramref name="masses"/> (non-negative, finite, not all zero; normalised here).
    /// The result minimises sum p_i * -log2(f_i / 2^precision) under sum f_i = 2^precision, f_i >= 1.
    /// </summary>
    public static int[] Quantize(ReadOnlySpan<double> masses, int precision)
    {
        if (precision is < 1 or > CdfTable.MaxPrecision)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"precision must be 1..{CdfTable.MaxPrecision}");
        int n = masses.Length;
        long total = 1L << precision;
        if (n == 0) throw new ArgumentException("no masses to quantize", nameof(masses));
        if (n > total)
            throw new ArgumentException($"{n} symbols cannot each get a count of at least 1 out of 2^{precision} = {total}", nameof(masses));

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double m = masses[i];
            if (!double.IsFinite(m) || m < 0) throw new ArgumentException($"mass {i} is {m}; masses must be finite and >= 0", nameof(masses));
            sum += m;
        }
        if (!(sum > 0) || !double.IsFinite(sum)) throw new ArgumentException($"masses sum to {sum}; need a positive finite total", nameof(masses));

        var p = new double[n];
        var f = new int[n];
        long have = 0;
        for (int i = 0; i < n; i++)
        {
            p[i] = masses[i] / sum;
            double scaled = Math.Round(p[i] * total, MidpointRounding.ToEven);
            f[i] = (int)Math.Clamp(scaled, 1, total);
            have += f[i];
        }

        var gains = new PriorityQueue<int, (double, int)>(n, Comparer<(double, int)>.Create(static (a, b) =>
            a.Item1 != b.Item1 ? b.Item1.CompareTo(a.Item1) : a.Item2.CompareTo(b.Item2)));
        var costs = new PriorityQueue<int, (double, int)>(n, Comparer<(double, int)>.Create(static (a, b) =>
            a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2.CompareTo(b.Item2)));
        // Queue entries go stale when their index's count changes; stale ones are recognised and skipped.
        for (int i = 0; i < n; i++)
        {
            gains.Enqueue(i, (Gain(p[i], f[i]), i));
            if (f[i] > 1) costs.Enqueue(i, (Cost(p[i], f[i]), i));
        }

        while (have > total)
        {
            int j = PopCurrent(costs, p, f, isGain: false);
            f[j]--;
            have--;
            Requeue(j);
        }
        while (have < total)
        {
            int i = PopCurrent(gains, p, f, isGain: true);
            f[i]++;
            have++;
            Requeue(i);
        }
        // Exchange phase: move a count from the cheapest donor to the best receiver while it pays.
        while (true)
        {
            int i = PeekCurrent(gains, p, f, isGain: true);
            int j = PeekCurrent(costs, p, f, isGain: false);
            if (i < 0 || j < 0 || i == j) break;
            double gain = Gain(p[i], f[i]), cost = Cost(p[j], f[j]);
            if (!(gain > cost * (1 + 1e-12) + 1e-300)) break;
            gains.Dequeue();
            costs.Dequeue();
            f[i]++;
            f[j]--;
            Requeue(i);
            Requeue(j);
        }
        return f;

        void Requeue(int k)
        {
            gains.Enqueue(k, (Gain(p[k], f[k]), k));
            if (f[k] > 1) costs.Enqueue(k, (Cost(p[k], f[k]), k));
        }
    }

    /// <summary>Expected bits saved by raising a count from f to f + 1.</summary>
    static double Gain(double p, int f) => p * Math.Log2((f + 1.0) / f);

    /// <summary>Expected bits lost by lowering a count from f to f - 1 (f > 1).</summary>
    static double Cost(double p, int f) => p * Math.Log2(f / (f - 1.0));

    /// <summary>Drops stale entries (whose priority no longer matches the current count) and returns the top index, or -1.</summary>
    static int PeekCurrent(PriorityQueue<int, (double, int)> queue, double[] p, int[] f, bool isGain)
    {
        while (queue.TryPeek(out int k, out var priority))
        {
            bool valid = isGain
                ? priority.Item1 == Gain(p[k], f[k])
                : f[k] > 1 && priority.Item1 == Cost(p[k], f[k]);
            if (valid) return k;
            queue.Dequeue();
        }
        return -1;
    }

    static int PopCurrent(PriorityQueue<int, (double, int)> queue, double[] p, int[] f, bool isGain)
    {
        int k = PeekCurrent(queue, p, f, isGain);
        if (k < 0) throw new InvalidOperationException("quantizer ran out of adjustable counts");
        queue.Dequeue();
        return k;
    }
}
