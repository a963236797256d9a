// The package's one pseudo-random generator outside libtorch: SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014): state += 0x9E3779B97F4A7C15, then a 64-bit finalising mix.
// Used where bits must be the same on every machine, thread count and device, independent of libtorch's
// generators: batch orders, random orthogonal transforms, the fused rate's noise, MIRACLE's candidates.
namespace Compression.Randomness;

public struct SplitMix64(ulong state)
{
    ulong state = state;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform on (0, 1) with 53 random bits (never 0 or 1).</summary>
    public double NextDouble() => ((Next() >> 11) + 0.5) / (1UL << 53);

    /// <summary>Uniform on (-1/2, 1/2) with 24 random bits, as float32.</summary>
    public float NextCentred() => ((Next() >> 40) + 0.5f) * (1f / (1 << 24)) - 0.5f;

    /// <summary>Standard normal by Box-Muller (one value per two uniforms).</summary>
    public double NextGaussian() => Math.Sqrt(-2 * Math.Log(NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());

    /// <summary>The finalising mix of SplitMix64 (a bijection of 64-bit values).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Independent seeds derived from a seed and indices (a step, a block, a purpose), by mixing.</summary>
public static class SeedSequence
{
    public static long Derive(long seed, long index, long purpose = 0) =>
        (long)(SplitMix64.Mix(SplitMix64.Mix((ulong)seed ^ 0x6A09E667F3BCC909UL) + (ulong)index * 0x9E3779B97F4A7C15UL + (ulong)purpose) >> 1);
}
