// -log p(w) of the mixture prior and its gradients in one fused pass over the weights.
// Autograd through the N x J tensors of GaussianMixturePrior.LogDensity costs ~20 passes over N x J
// floats per step (about 0.2 s for LeNet300-100 on one core); this pass computes the same quantities
// with the weights in registers (SIMD over 8 weights, the J components unrolled), in a few ms.
// With d_ij = w_i - mu_j, lambda_j = exp(gamma_j), t_ij = log pi_j + gamma_j / 2 - log(2 pi) / 2 - lambda_j d_ij^2 / 2
// and responsibilities r_ij = softmax_j(t_ij):
//   -log p(w_i)            = -logsumexp_j t_ij
//   d(-log p)/d w_i        =  sum_j r_ij lambda_j d_ij
//   d(-sum log p)/d mu_j   = -lambda_j sum_i r_ij d_ij
//   d(-sum log p)/d gamma_j = -(1/2) sum_i r_ij (1 - lambda_j d_ij^2)
//   d(-sum log p)/d rho_k  = -(S_k - softmax(rho)_k sum_{j>=1} S_j),  S_j = sum_i r_ij   (free k only)
using System.Runtime.Intrinsics;

namespace Compression.SoftWeightSharing;

/// <summary>Sums over weights that the mixture parameters' gradients need.</summary>
internal sealed class MixtureSums(int components)
{
    /// <summary>-sum_i log p(w_i), nats.</summary>
    public double NegativeLogLikelihood;
    /// <summary>S_j = sum_i r_ij.</summary>
    public readonly double[] Responsibility = new double[components];
    /// <summary>A_j = sum_i r_ij d_ij.</summary>
    public readonly double[] FirstMoment = new double[components];
    /// <summary>B_j = sum_i r_ij d_ij^2.</summary>
    public readonly double[] SecondMoment = new double[components];
    public long Count;

    /// <summary>Gradients of -sum log p with respect to the J means (entry 0 belongs to the fixed zero mean).</summary>
    public double[] MeanGradient(ReadOnlySpan<double> logPrecisions)
    {
        var g = new double[Responsibility.Length];
        for (int j = 0; j < g.Length; j++) g[j] = -Math.Exp(logPrecisions[j]) * FirstMoment[j];
        return g;
    }

    public double[] LogPrecisionGradient(ReadOnlySpan<double> logPrecisions)
    {
        var g = new double[Responsibility.Length];
        for (int j = 0; j < g.Length; j++) g[j] = -0.5 * (Responsibility[j] - Math.Exp(logPrecisions[j]) * SecondMoment[j]);
        return g;
    }

    /// <summary>Gradients with respect to rho (the J - 1 free log-proportions).</summary>
    public double[] LogProportionGradient(ReadOnlySpan<double> rho)
    {
        double max = double.NegativeInfinity;
        foreach (var r in rho) max = Math.Max(max, r);
        double z = 0;
        foreach (var r in rho) z += Math.Exp(r - max);
        double free = 0;
        for (int j = 1; j < Responsibility.Length; j++) free += Responsibility[j];
        var g = new double[rho.Length];
        for (int k = 0; k < rho.Length; k++) g[k] = -(Responsibility[k + 1] - Math.Exp(rho[k] - max) / z * free);
        return g;
    }
}

internal static class MixtureGradients
{
    const int Chunk = 512; // weights summed in float before being added to the double totals

    /// <summary>
    /// Adds <paramref name="scale"/> * d(-log p(w_i))/d w_i to <paramref name="weightGradient"/>[i] and
    /// accumulates the sums of <paramref name="sums"/> over <paramref name="weights"/>. Means, log-precisions
    /// and log-proportions hold all J components, component 0 first.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<float> weights, ReadOnlySpan<double> means, ReadOnlySpan<double> logPrecisions,
        ReadOnlySpan<double> logProportions, Span<float> weightGradient, float scale, MixtureSums sums)
    {
        int j = means.Length;
        if (logPrecisions.Length != j || logProportions.Length != j || sums.Responsibility.Length != j) throw new ArgumentException("component counts differ");
        if (weightGradient.Length != weights.Length) throw new ArgumentException("gradient and weights differ in length");
        Span<float> mu = stackalloc float[j];
        Span<float> halfLambda = stackalloc float[j];
        Span<float> lambda = stackalloc float[j];
        Span<float> offset = stackalloc float[j];
        for (int c = 0; c < j; c++)
        {
            mu[c] = (float)means[c];
            lambda[c] = (float)Math.Exp(logPrecisions[c]);
            halfLambda[c] = 0.5f * lambda[c];
            offset[c] = (float)(logProportions[c] + 0.5 * logPrecisions[c] - 0.5 * Math.Log(2 * Math.PI));
        }
        Span<Vector256<float>> t = stackalloc Vector256<float>[j];
        Span<Vector256<float>> d = stackalloc Vector256<float>[j];
        Span<Vector256<float>> accS = stackalloc Vector256<float>[j];
        Span<Vector256<float>> accA = stackalloc Vector256<float>[j];
        Span<Vector256<float>> accB = stackalloc Vector256<float>[j];
        var accL = Vector256<float>.Zero;
        var vScale = Vector256.Create(scale);
        int n = weights.Length;
        int vectorEnd = n - n % 8;
        int inChunk = 0;
        for (int i = 0; i < vectorEnd; i += 8)
        {
            var w = Vector256.Create(weights.Slice(i, 8));
            var max = Vector256.Create(float.NegativeInfinity);
            for (int c = 0; c < j; c++)
            {
                var dc = w - Vector256.Create(mu[c]);
                d[c] = dc;
                var tc = Vector256.Create(offset[c]) - Vector256.Create(halfLambda[c]) * dc * dc;
                t[c] = tc;
                max = Vector256.Max(max, tc);
            }
            var sum = Vector256<float>.Zero;
            for (int c = 0; c < j; c++)
            {
                var e = Vector256.Exp(t[c] - max);
                t[c] = e;
                sum += e;
            }
            var inverse = Vector256<float>.One / sum;
            accL += max + Vector256.Log(sum);
            var g = Vector256<float>.Zero;
            for (int c = 0; c < j; c++)
            {
                var r = t[c] * inverse;
                var rd = r * d[c];
                g += Vector256.Create(lambda[c]) * rd;
                accS[c] += r;
                accA[c] += rd;
                accB[c] += rd * d[c];
            }
            var target = weightGradient.Slice(i, 8);
            (Vector256.Create((ReadOnlySpan<float>)target) + vScale * g).CopyTo(target);
            if (++inChunk == Chunk || i + 8 >= vectorEnd)
            {
                sums.NegativeLogLikelihood -= Vector256.Sum(accL);
                accL = Vector256<float>.Zero;
                for (int c = 0; c < j; c++)
                {
                    sums.Responsibility[c] += Vector256.Sum(accS[c]);
                    sums.FirstMoment[c] += Vector256.Sum(accA[c]);
                    sums.SecondMoment[c] += Vector256.Sum(accB[c]);
                    accS[c] = accA[c] = accB[c] = Vector256<float>.Zero;
                }
                inChunk = 0;
            }
        }
        // the last n % 8 weights, in double
        Span<double> terms = stackalloc double[j];
        for (int i = vectorEnd; i < n; i++)
        {
            double w = weights[i], max = double.NegativeInfinity;
            for (int c = 0; c < j; c++)
            {
                double dc = w - mu[c];
                terms[c] = offset[c] - halfLambda[c] * dc * dc;
                max = Math.Max(max, terms[c]);
            }
            double sum = 0;
            for (int c = 0; c < j; c++) { terms[c] = Math.Exp(terms[c] - max); sum += terms[c]; }
            sums.NegativeLogLikelihood -= max + Math.Log(sum);
            double g = 0;
            for (int c = 0; c < j; c++)
            {
                double r = terms[c] / sum, dc = w - mu[c];
                g += lambda[c] * r * dc;
                sums.Responsibility[c] += r;
                sums.FirstMoment[c] += r * dc;
                sums.SecondMoment[c] += r * dc * dc;
            }
            weightGradient[i] += (float)(scale * g);
        }
        sums.Count += n;
    }
}
