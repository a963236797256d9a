// The hashing trick (Chen et al. 2015, "Compressing neural networks with the hashing trick"), as MIRACLE uses it
// (Havasi et al. 2019, section 3.3): the n elements of a parameter share m <= n variables at random, each with a
// fixed random sign,
//     w_j = s_j * v_{h(j)},   h(j) = pi(j) mod m,   s_j in {-1, +1},
// pi a permutation of the n elements (so every variable serves n/m elements, give or take one) and the signs fair
// coin flips, both from SplitMix64 seeded by (seed, parameter index). m = n leaves a parameter unshared (h(j) = j,
// s_j = +1). LeNet5-Caffe in the paper: conv2 shrunk 2x, fc1 64x. The variables of all parameters, in parameter
// order, form one vector of N variables; the blocks and the variational distribution are over it.
using Compression.Models;
using Compression.Randomness;

namespace Compression.Miracle;

public sealed class HashingLayout
{
    const long HashPurpose = 0x4A54, SignPurpose = 0x5167;
    readonly Architecture architecture;
    readonly long seed;

    /// <summary>A layout of <paramref name="variableCounts"/> variables per parameter (each 1..the parameter's element count).</summary>
    public HashingLayout(Architecture architecture, long seed, IReadOnlyList<long> variableCounts)
    {
        if (variableCounts.Count != architecture.Parameters.Count)
            throw new ArgumentException($"{architecture.Id} has {architecture.Parameters.Count} parameters, got {variableCounts.Count} variable counts");
        for (int p = 0; p < variableCounts.Count; p++)
            if (variableCounts[p] < 1 || variableCounts[p] > architecture.Parameters[p].Count)
                throw new ArgumentOutOfRangeException(nameof(variableCounts), $"{architecture.Parameters[p].Name}: {variableCounts[p]} variables for {architecture.Parameters[p].Count} elements");
        this.architecture = architecture;
        this.seed = seed;
        VariableCounts = variableCounts.ToArray();
        Offsets = new long[VariableCounts.Length + 1];
        for (int p = 0; p < VariableCounts.Length; p++) Offsets[p + 1] = Offsets[p] + VariableCounts[p];
        Layers = architecture.Parameters.Select(s => s.Layer).Distinct().ToArray();
        LayerOfParameter = architecture.Parameters.Select(s => Array.IndexOf(Layers, s.Layer)).ToArray();
    }

    /// <summary>m = ceil(n / shrink) variables per parameter, shrink factors by parameter name (1 when not named).</summary>
    public static HashingLayout FromShrinkFactors(Architecture architecture, long seed, IReadOnlyDictionary<string, double> shrink)
    {
        foreach (var name in shrink.Keys)
            if (!architecture.HasParameter(name)) throw new ArgumentException($"hashing: {architecture.Id} has no parameter '{name}'");
        return new HashingLayout(architecture, seed, architecture.Parameters.Select(p =>
        {
            double factor = shrink.TryGetValue(p.Name, out var f) ? f : 1;
            if (!(factor >= 1)) throw new ArgumentOutOfRangeException(nameof(shrink), factor, $"{p.Name}: a shrink factor >= 1");
            return Math.Max(1, (long)Math.Ceiling(p.Count / factor));
        }).ToList());
    }

    public Architecture Architecture => architecture;

    /// <summary>Variables per parameter, in parameter order.</summary>
    public long[] VariableCounts { get; }

    /// <summary>Where each parameter's variables start in the vector of all variables (one more entry: N).</summary>
    public long[] Offsets { get; }

    /// <summary>N: all variables.</summary>
    public long VariableCount => Offsets[^1];

    /// <summary>The architecture's layers (ParameterSpec.Layer) in order of first appearance: one prior std each.</summary>
    public string[] Layers { get; }

    public int[] LayerOfParameter { get; }

    public bool IsShared(int parameter) => VariableCounts[parameter] < architecture.Parameters[parameter].Count;

    /// <summary>The layer of every variable (index into <see cref="Layers"/>).</summary>
    public int[] LayerOfVariable()
    {
        var layer = new int[checked((int)VariableCount)];
        for (int p = 0; p < VariableCounts.Length; p++) layer.AsSpan((int)Offsets[p], (int)VariableCounts[p]).Fill(LayerOfParameter[p]);
        return layer;
    }

    /// <summary>For each element of parameter <paramref name="parameter"/>: its variable (global index) and sign.</summary>
    public (int[] Variable, float[] Sign) Map(int parameter)
    {
        int n = checked((int)architecture.Parameters[parameter].Count), m = (int)VariableCounts[parameter], offset = (int)Offsets[parameter];
        var variable = new int[n];
        var sign = new float[n];
        if (m == n)
        {
            for (int j = 0; j < n; j++) { variable[j] = offset + j; sign[j] = 1; }
            return (variable, sign);
        }
        var pi = SeededPermutation.Of(n, SeedSequence.Derive(seed, parameter, HashPurpose));
        var coins = new SplitMix64((ulong)SeedSequence.Derive(seed, parameter, SignPurpose));
        ulong word = 0;
        for (int j = 0; j < n; j++)
        {
            if ((j & 63) == 0) word = coins.Next();
            variable[j] = offset + pi[j] % m;
            sign[j] = (word >> (j & 63) & 1) == 0 ? 1f : -1f;
        }
        return (variable, sign);
    }

    /// <summary>Every parameter's values from the variables: w_j = s_j * v_h(j) (float32; a sign flip is exact).</summary>
    public float[][] Expand(ReadOnlySpan<float> variables)
    {
        if (variables.Length != VariableCount) throw new ArgumentException($"{VariableCount} variables expected, got {variables.Length}");
        var result = new float[VariableCounts.Length][];
        for (int p = 0; p < result.Length; p++)
        {
            var (variable, sign) = Map(p);
            var values = new float[variable.Length];
            for (int j = 0; j < values.Length; j++) values[j] = sign[j] < 0 ? -variables[variable[j]] : variables[variable[j]];
            result[p] = values;
        }
        return result;
    }

    public string Describe() => string.Join(", ", architecture.Parameters.Select((p, i) =>
        IsShared(i) ? $"{p.Name} {p.Count:N0} -> {VariableCounts[i]:N0}" : $"{p.Name} {p.Count:N0}")) + $"; {VariableCount:N0} variables";
}
