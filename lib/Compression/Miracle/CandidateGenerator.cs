// MIRACLE's shared candidates (Havasi et al. 2019, Algorithm 1: "draw K samples from the encoding distribution p with
// the shared random generator"). Candidate k is a stream of standard normal deviates z_k,0, z_k,1, ...: SplitMix64
// seeded from (seed, k) gives 53-bit uniforms u, z = Phi^-1(u) in portable double arithmetic (PortableNormal), cast
// to float32. As in the official code, the same K candidates serve every block (a block of d variables uses the first
// d deviates of each), scaled per variable by its layer's prior std: w = float32(sigma_p) * z (a float32 product).
// Each candidate depends only on (seed, k), so candidates are the same bits for any thread count, machine or device;
// the decoder regenerates only the candidates the file names.
using Compression.Randomness;

namespace Compression.Miracle;

public static class CandidateGenerator
{
    const long Purpose = 0x3C1A;

    /// <summary>The first <paramref name="z"/>.Length deviates of candidate <paramref name="k"/>.</summary>
    public static void Fill(long seed, long k, Span<float> z)
    {
        var random = new SplitMix64((ulong)SeedSequence.Derive(seed, k, Purpose));
        for (int d = 0; d < z.Length; d++) z[d] = (float)PortableNormal.InverseCdf(random.NextDouble());
    }

    /// <summary>
    /// All <paramref name="count"/> candidates of <paramref name="dimension"/> deviates, candidate-major
    /// (candidate k at [k * dimension, (k + 1) * dimension)), made on up to <paramref name="threads"/> threads (the same
    /// values for any number).
    /// </summary>
    public static float[] Table(long seed, int count, int dimension, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var table = new float[checked(count * dimension)];
        if (threads <= 1) { for (int k = 0; k < count; k++) Fill(seed, k, table.AsSpan(k * dimension, dimension)); }
        else Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, k => Fill(seed, k, table.AsSpan(k * dimension, dimension)));
        return table;
    }
}
