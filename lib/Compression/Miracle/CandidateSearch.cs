// Coding one block (Havasi et al. 2019, Algorithm 1): among K = 2^C_loc shared candidates w_k ~ p, weigh each by
//     a_k proportional to q(w_k) / p(w_k),
//     log q(w)/p(w) = sum_d [ log(sp_d / sq_d) - mu_d^2 / (2 sq_d^2) ] + z_d^2 (1/2 - sp_d^2 / (2 sq_d^2)) + z_d sp_d mu_d / sq_d^2,
// with w = sp z (q = N(mu, sq^2) and p = N(0, sp^2) per variable), and pick the index: sampled from the a_k (the
// paper's rule; the result is then approximately a sample of q) or the largest a_k (argmax, which the official code
// notes works better in practice). Scores in float64, one pass over the candidates; the sample's uniform comes from
// the caller's seed, so the choice is repeatable. Only the encoder searches; the decoder regenerates the index it reads.
namespace Compression.Miracle;

public enum CandidateSelection
{
    /// <summary>Sample the index from the importance weights (the paper's Algorithm 1).</summary>
    Sample,
    /// <summary>The candidate with the largest importance weight.</summary>
    Argmax,
}

/// <summary>The chosen index and what it says: its log weight, the largest, and the weights' effective sample size.</summary>
public readonly record struct BlockChoice(int Index, double LogWeight, double MaxLogWeight, double EffectiveSamples);

public static class CandidateSearch
{
    /// <summary>
    /// Searches the first <paramref name="count"/> candidates of <paramref name="table"/> (candidate-major rows of
    /// <paramref name="stride"/> deviates; the block uses the first mu.Length) for a block with posterior means
    /// <paramref name="mu"/>, stds <paramref name="sigmaQ"/> and prior stds <paramref name="sigmaP"/>.
    /// </summary>
    public static BlockChoice Choose(ReadOnlySpan<float> table, int stride, int count, ReadOnlySpan<double> mu, ReadOnlySpan<double> sigmaQ,
        ReadOnlySpan<double> sigmaP, CandidateSelection selection, double uniform)
    {
        int d = mu.Length;
        if (d > stride || sigmaQ.Length != d || sigmaP.Length != d) throw new ArgumentException("block dimensions disagree");
        if ((long)count * stride > table.Length) throw new ArgumentException("the table holds fewer candidates");
        var a = new double[d];
        var b = new double[d];
        double constant = 0;
        for (int i = 0; i < d; i++)
        {
            double vq = sigmaQ[i] * sigmaQ[i];
            a[i] = 0.5 - sigmaP[i] * sigmaP[i] / (2 * vq);
            b[i] = sigmaP[i] * mu[i] / vq;
            constant += Math.Log(sigmaP[i] / sigmaQ[i]) - mu[i] * mu[i] / (2 * vq);
        }
        var scores = new double[count];
        double max = double.NegativeInfinity;
        int best = 0;
        for (int k = 0; k < count; k++)
        {
            var z = table.Slice(k * stride, d);
            double s = constant;
            for (int i = 0; i < d; i++) { double zi = z[i]; s += (a[i] * zi + b[i]) * zi; }
            scores[k] = s;
            if (s > max) { max = s; best = k; }
        }
        double total = 0, squares = 0;
        for (int k = 0; k < count; k++) { double e = Math.Exp(scores[k] - max); total += e; squares += e * e; }
        double ess = total * total / squares;
        int chosen = best;
        if (selection == CandidateSelection.Sample)
        {
            double target = uniform * total, cumulative = 0;
            chosen = count - 1;
            for (int k = 0; k < count; k++)
            {
                cumulative += Math.Exp(scores[k] - max);
                if (cumulative > target) { chosen = k; break; }
            }
        }
        return new BlockChoice(chosen, scores[chosen], max, ess);
    }
}
