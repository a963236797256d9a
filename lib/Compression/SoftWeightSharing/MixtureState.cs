// The values of a Gaussian mixture as plain numbers: what post-processing works on, what the history
// records and what a notebook plots. Component 0 is the zero component (mean exactly 0).
namespace Compression.SoftWeightSharing;

public sealed record MixtureState(double[] Means, double[] LogPrecisions, double[] LogProportions)
{
    public int Count => Means.Length;

    public double[] Precisions => LogPrecisions.Select(Math.Exp).ToArray();

    public double[] Stds => LogPrecisions.Select(g => Math.Exp(-0.5 * g)).ToArray();

    public double[] Proportions => LogProportions.Select(Math.Exp).ToArray();

    /// <summary>log of pi_j N(w; mu_j, 1/lambda_j) for every component j.</summary>
    public double[] ComponentLogDensities(double w)
    {
        var result = new double[Count];
        for (int j = 0; j < Count; j++)
        {
            double d = w - Means[j];
            result[j] = LogProportions[j] + 0.5 * (LogPrecisions[j] - Math.Log(2 * Math.PI)) - 0.5 * Math.Exp(LogPrecisions[j]) * d * d;
        }
        return result;
    }

    /// <summary>log p(w) = log sum_j pi_j N(w; mu_j, 1/lambda_j), in double precision.</summary>
    public double LogDensity(double w)
    {
        var terms = ComponentLogDensities(w);
        double max = terms.Max();
        double sum = 0;
        foreach (var t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum);
    }

    /// <summary>
    /// KL(N_i || N_j) between two components (the tutorial's helpers.KL, which merges components below a
    /// threshold): 0.5 (log lambda_i - log lambda_j) + lambda_j / 2 (1 / lambda_i + (mu_i - mu_j)^2) - 0.5.
    /// </summary>
    public double KL(int i, int j)
    {
        double li = LogPrecisions[i], lj = LogPrecisions[j];
        double d = Means[i] - Means[j];
        return 0.5 * (li - lj) + 0.5 * Math.Exp(lj) * (Math.Exp(-li) + d * d) - 0.5;
    }
}
