// After training, the continuous density is turned into the probability mass functions an entropy coder
// needs: q(v) = c(v + 1/2) - c(v - 1/2) for each integer v of a range, plus the tail mass outside the range
// (the escape symbol's share). Computed in float64 from a copy of the density; the density is then discarded.
// Quantiles (median, tails) come from bisection on the monotone CDF rather than an auxiliary loss.
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Probability;

/// <summary>The mass of each integer in [Offset, Offset + Pmf.Length) and the mass outside that range.</summary>
public sealed record ColumnPmf(int Offset, double[] Pmf, double TailMass)
{
    public int Max => Offset + Pmf.Length - 1;
}

public static class PmfTabulation
{
    /// <summary>Tail mass of tensorflow_compression's EntropyBottleneck (2^-8), used for <see cref="TailRange"/>.</summary>
    public const double DefaultTailMass = 1.0 / 256;

    /// <summary>PMF of one column over the integers min..max, from a float64 copy of the density.</summary>
    public static ColumnPmf Tabulate(DeepFactorizedDensity density, int column, int min, int max)
    {
        if (max < min) throw new ArgumentException($"empty range {min}..{max}");
        using var scope = NewDisposeScope();
        using var exact = density.ToDoubleCpu();
        using var no = no_grad();
        int n = max - min + 1;
        var values = arange(min, max + 1, dtype: float64).reshape(1, 1, n);
        var lower = Logits(exact, column, values - 0.5);
        var upper = Logits(exact, column, values + 0.5);
        var pmf = DeepFactorizedDensity.SignTrickDifference(lower, upper).reshape(n).data<double>().ToArray();
        double below = sigmoid(lower.reshape(n)[0]).item<double>();
        double above = sigmoid(upper.reshape(n)[n - 1].neg()).item<double>();
        return new ColumnPmf(min, pmf, Math.Max(0, below + above));
    }

    /// <summary>The value x with c(x) = p for one column, by bisection on the logits of the CDF.</summary>
    public static double Quantile(DeepFactorizedDensity density, int column, double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p));
        double target = Math.Log(p / (1 - p));
        using var exact = density.ToDoubleCpu();
        double Logit(double x)
        {
            using var scope = NewDisposeScope();
            using var no = no_grad();
            return Logits(exact, column, tensor(new[] { x }, float64).reshape(1, 1, 1)).item<double>();
        }
        double lo = -1, hi = 1;
        while (Logit(lo) > target && lo > -1e7) lo *= 2;
        while (Logit(hi) < target && hi < 1e7) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-9 * Math.Max(1, Math.Abs(lo)); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Logit(mid) < target) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    public static double Median(DeepFactorizedDensity density, int column) => Quantile(density, column, 0.5);

    /// <summary>Integer range [ceil-ish lower quantile, upper quantile] holding all but <paramref name="tailMass"/>.</summary>
    public static (int Min, int Max) TailRange(DeepFactorizedDensity density, int column, double tailMass = DefaultTailMass)
    {
        double lo = Quantile(density, column, tailMass / 2), hi = Quantile(density, column, 1 - tailMass / 2);
        return ((int)Math.Floor(lo + 0.5), (int)Math.Ceiling(hi - 0.5));
    }

    /// <summary>Cumulative logits of one column for values shaped (1, 1, n) on a float64 copy of the density.</summary>
    static Tensor Logits(DeepFactorizedDensity exact, int column, Tensor values)
    {
        var all = values.expand(exact.Columns, 1, values.shape[2]);
        return exact.LogitsCumulative(all).narrow(0, column, 1);
    }
}
