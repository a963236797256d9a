// A permutation of 0..n-1 from a seed: Fisher-Yates driven by SplitMix64, j = floor(u * (i + 1)) with a 53-bit uniform
// u (integer arithmetic on exact doubles, so the same on every machine). MIRACLE's random split of the variables into
// blocks and the hashing trick's sharing both come from it; it is MIRACLE's own so that files do not depend on
// permutations other parts of the package may change.
using Compression.Randomness;

namespace Compression.Miracle;

public static class SeededPermutation
{
    public static int[] Of(int n, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        var random = new SplitMix64((ulong)seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)((random.Next() >> 11) * (i + 1.0) / (1UL << 53));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
