// The rate term of EPR (eq. 8): the self-information of the latents, relaxed by additive uniform noise,
//     I(phi) ~= sum_j sum_i -log2 q~_i(phi_hat_{j,i} + u_{j,i}),   u ~ U(-1/2, 1/2).
// Three ways to evaluate it, all with gradients for the latents and the density's variables:
//   Exact         runs the density network on every latent.
//   Interpolated  runs it on a grid spanning the latents (spacing 1/32) and interpolates log2 q~ linearly
//                 between grid points: the same function to ~1e-4 bits per latent, far fewer network evaluations.
//   Fused         the Interpolated function in one pass of plain C# over the latents (CPU only): noise, lookup,
//                 bits, the latents' gradient and the grid points' weights at once; torch then only sees a
//                 grid-sized sum and one dot product. The cheapest on a CPU; the noise comes from its own
//                 generator seeded from libtorch's, so runs stay repeatable.
//   Auto          Fused on the CPU, Interpolated elsewhere.
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Probability;

public enum RateEvaluation { Auto, Exact, Interpolated, Fused }

public static class NoisyRate
{
    public const double GridSpacing = 1.0 / 32;

    /// <summary>
    /// Bits of the noisy latents under the density: a scalar tensor. Each latent matrix is shaped (rows, Columns);
    /// all of them share the density (they form one group).
    /// </summary>
    /// <remarks><paramref name="noiseSeed"/>: the fused path's noise seed; null draws it from libtorch's generator
    /// (<see cref="DrawNoiseSeed"/>), so a caller that draws it earlier gets the same bits.</remarks>
    public static Tensor Bits(DeepFactorizedDensity density, IReadOnlyList<Tensor> latents, RateEvaluation evaluation, bool noise = true, ulong? noiseSeed = null)
    {
        evaluation = Resolve(evaluation, latents);
        if (evaluation == RateEvaluation.Fused) return FusedBits(density, latents, noise ? noiseSeed ?? DrawNoiseSeed() : null);
        var noisy = latents.Select(l => noise ? l + (rand_like(l) - 0.5) : l).ToList();
        return evaluation == RateEvaluation.Exact ? ExactBits(density, noisy) : InterpolatedBits(density, noisy);
    }

    /// <summary>What <see cref="RateEvaluation.Auto"/> means for these latents: Fused on CPU float32, Interpolated elsewhere.</summary>
    public static RateEvaluation Resolve(RateEvaluation evaluation, IReadOnlyList<Tensor> latents) =>
        evaluation != RateEvaluation.Auto ? evaluation
        : latents.All(l => l.device_type == DeviceType.CPU && l.dtype == float32) ? RateEvaluation.Fused : RateEvaluation.Interpolated;

    /// <summary>The seed of one fused evaluation's noise, drawn from libtorch's default generator.</summary>
    public static ulong DrawNoiseSeed() => (ulong)randint(long.MaxValue, [1], dtype: int64).item<long>();

    static Tensor ExactBits(DeepFactorizedDensity density, IReadOnlyList<Tensor> values)
    {
        Tensor? total = null;
        foreach (var y in values)
        {
            var bits = density.Likelihood(y).log2().sum().neg();
            total = total is null ? bits : total + bits;
        }
        return total!;
    }

    /// <summary>The grid lo + k h, k = 0 .. points - 1, covering [min, max] with a margin of one unit.</summary>
    static (double Lo, int Points) Grid(double min, double max)
    {
        double lo = Math.Floor(min) - 1, hi = Math.Ceiling(max) + 1;
        return (lo, (int)Math.Round((hi - lo) / GridSpacing) + 1);
    }

    /// <summary>
    /// log2 q~ at the grid points, (points x Columns), differentiable in the density's variables. The grid spacing
    /// divides 1, so c(g - 1/2) and c(g + 1/2) are the cumulative on one extended grid: one network pass.
    /// </summary>
    static Tensor GridLog2Likelihood(DeepFactorizedDensity density, double lo, int points, Device device)
    {
        int half = (int)Math.Round(0.5 / GridSpacing);
        var extended = (arange(points + 2 * half, dtype: float32, device: device) * GridSpacing + (lo - 0.5)).expand(density.Columns, 1, points + 2 * half);
        var logits = density.LogitsCumulative(extended);
        var p = DeepFactorizedDensity.SignTrickDifference(logits.narrow(2, 0, points), logits.narrow(2, 2 * half, points));
        return DeepFactorizedDensity.LowerBound(p, DeepFactorizedDensity.LikelihoodBound).squeeze(1).t().log2();
    }

    static Tensor InterpolatedBits(DeepFactorizedDensity density, IReadOnlyList<Tensor> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        using (no_grad())
            foreach (var y in values)
            {
                min = Math.Min(min, y.min().item<float>());
                max = Math.Max(max, y.max().item<float>());
            }
        var (lo, points) = Grid(min, max);
        var logq = GridLog2Likelihood(density, lo, points, values[0].device);
        var slope = logq.narrow(0, 1, points - 1) - logq.narrow(0, 0, points - 1);
        Tensor? total = null;
        foreach (var y in values)
        {
            var t = (y - lo) * (1.0 / GridSpacing);
            var k = t.detach().floor().clamp(0, points - 2);
            var w = t - k;
            var index = k.to(int64);
            var bits = (logq.gather(0, index) + w * slope.gather(0, index)).sum().neg();
            total = total is null ? bits : total + bits;
        }
        return total!;
    }

    /// <summary><paramref name="seed"/>: the noise's seed, or null for no noise.</summary>
    static Tensor FusedBits(DeepFactorizedDensity density, IReadOnlyList<Tensor> latents, ulong? seed)
    {
        int columns = density.Columns;
        bool noise = seed.HasValue;

        // Pass 1: the range of the latents; the noise moves them by at most 1/2, inside the grid's margin.
        var sources = latents.Select(l => l.detach().contiguous()).ToList();
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var x in sources)
        {
            var (lowest, highest) = x.aminmax();
            min = Math.Min(min, lowest.item<float>());
            max = Math.Max(max, highest.item<float>());
        }

        // The density on the grid.
        var (lo, points) = Grid(min - 0.5, max + 0.5);
        var logq = GridLog2Likelihood(density, lo, points, CPU);
        var table = logq.detach().contiguous().data<float>().ToArray();

        // Pass 2: interpolated bits, d bits / d y per latent, and how much each grid value is used.
        var slope = new float[table.Length];
        for (int i = 0; i + columns < table.Length; i++) slope[i] = (float)((table[i] - table[i + columns]) / GridSpacing);
        var rng = new SplitMix64(seed ?? 0);
        var weights = new double[points * columns];
        float origin = (float)lo, inverse = (float)(1 / GridSpacing);
        int last = points - 2;
        Tensor? surrogate = null;
        for (int m = 0; m < latents.Count; m++)
        {
            var x = Floats(sources[m]);
            var g = empty(latents[m].shape, dtype: float32);
            var gradient = Floats(g);
            for (int j = 0, c = 0; j < x.Length; j++)
            {
                float y = noise ? x[j] + rng.NextCentred() : x[j];
                float t = (y - origin) * inverse;
                int k = (int)t;
                if (k > last) k = last; // t >= 0 by construction of the grid
                float w = t - k;
                int at = k * columns + c;
                gradient[j] = slope[at];
                weights[at] += 1 - w;
                weights[at + columns] += w;
                if (++c == columns) c = 0;
            }
            var dot = latents[m].flatten().dot(g.flatten());
            var term = dot - dot.detach();
            surrogate = surrogate is null ? term : surrogate + term;
        }
        var weightTensor = tensor(Array.ConvertAll(weights, v => (float)v), [points, columns]);
        // Value: the interpolated bits; gradients: exact for the grid (hence the density) and for each latent.
        return (weightTensor * logq).sum().neg() + surrogate!;
    }

    /// <summary>The float32 values of a contiguous CPU tensor, in place.</summary>
    static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>A small, fast generator for the uniform noise of the fused path.</summary>
    struct SplitMix64(ulong state)
    {
        ulong state = state;

        /// <summary>Uniform on (-1/2, 1/2) with 24 random bits.</summary>
        public float NextCentred()
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return ((z >> 40) + 0.5f) * (1f / (1 << 24)) - 0.5f;
        }
    }
}
