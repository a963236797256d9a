// A group of entropy-constrained training: parameter tensors sharing one codebook and one assignment distribution
// (each weight tensor alone, all biases together), with the zero centre fixed at index 0 and free centres learned.
//
// Initial centres (our design, as k-means' quantile initialisation): the free centres split evenly between the negative
// and the positive values of the group; on each side the j-th of m centres sits at the z + (1 - z)(j + 1/2) / m quantile
// of that side's magnitudes, z = the initial zero fraction. With z = 0 the zero centre's cell starts narrower than any
// other and the size term then empties it (measured: 3% -> 0.03% of the weights at zero in a smoke run, the mass going
// to the two centres next to zero); with z = 1/2 zero starts as the most used centre, and the size term grows its cell. The temperature of the group is relative to its spread: T_g = t * s_g^2, s_g the standard deviation of
// its starting values, so one schedule t serves layers of any scale.
using Compression.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.EntropyConstrained;

public sealed class CodebookGroup : IDisposable
{
    public CodebookGroup(string name, IReadOnlyList<int> members, long count, float[] freeCentres, double scale, Device device)
    {
        Name = name;
        Members = members;
        Count = count;
        Scale = scale;
        Free = new Parameter(tensor(freeCentres, device: device), requires_grad: true);
        Zero = zeros(1, device: device);
    }

    public string Name { get; }

    /// <summary>Indices of the group's parameters in the architecture, in coding order.</summary>
    public IReadOnlyList<int> Members { get; }

    /// <summary>n_g: values in the group.</summary>
    public long Count { get; }

    /// <summary>s_g: the standard deviation of the group's starting values (the temperature's unit is s_g^2).</summary>
    public double Scale { get; }

    /// <summary>The learned centres (c_1 .. c_K-1).</summary>
    public Parameter Free { get; }

    Tensor Zero { get; }

    /// <summary>All centres, c_0 = 0 first, [K].</summary>
    public Tensor Centres() => cat([Zero, Free], 0);

    public int CentreCount => (int)Free.shape[0] + 1;

    /// <summary>The groups of an architecture: one per weight tensor, and one for every other parameter when <paramref name="codeBiases"/>.</summary>
    public static IReadOnlyList<(string Name, int[] Members)> Plan(Architecture architecture, bool codeBiases)
    {
        var plan = new List<(string, int[])>();
        for (int i = 0; i < architecture.Parameters.Count; i++)
            if (architecture.Parameters[i].Role == ParameterRole.Weight) plan.Add((architecture.Parameters[i].Name, [i]));
        var others = Enumerable.Range(0, architecture.Parameters.Count).Where(i => architecture.Parameters[i].Role != ParameterRole.Weight).ToArray();
        if (codeBiases && others.Length > 0) plan.Add(("biases", others));
        return plan;
    }

    /// <summary>A group with centres at the quantiles of <paramref name="values"/> (the members' starting values, concatenated).</summary>
    public static CodebookGroup Create(string name, IReadOnlyList<int> members, float[] values, int freeCentres, double zeroFraction, Device device)
    {
        if (freeCentres < 2 || freeCentres % 2 != 0) throw new ArgumentException($"free centres must be even and at least 2, got {freeCentres}");
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        if (!(std > 0)) std = Math.Max(1e-3, values.Max(v => Math.Abs((double)v)));
        return new CodebookGroup(name, members, values.Length, InitialCentres(values, freeCentres, std, zeroFraction), std, device);
    }

    /// <summary>m = K/2 centres on each side of zero at the z + (1 - z)(j + 1/2)/m quantiles of that side's magnitudes (evenly in [s/2, 3s] when a side is empty); sorted.</summary>
    public static float[] InitialCentres(float[] values, int freeCentres, double scale, double zeroFraction = 0)
    {
        if (!(zeroFraction >= 0 && zeroFraction < 1)) throw new ArgumentOutOfRangeException(nameof(zeroFraction), "in [0, 1)");
        int m = freeCentres / 2;
        var negative = values.Where(v => v < 0).Select(v => -v).Order().ToArray();
        var positive = values.Where(v => v > 0).Order().ToArray();
        float[] Side(float[] sorted)
        {
            var side = new float[m];
            for (int j = 0; j < m; j++)
                side[j] = sorted.Length > 0 ? sorted[Math.Min(sorted.Length - 1, (int)((zeroFraction + (1 - zeroFraction) * (j + 0.5) / m) * sorted.Length))]
                    : (float)(scale * (0.5 + 2.5 * j / Math.Max(1, m - 1)));
            // distinct, non-zero: a repeated quantile moves a little outwards
            for (int j = 0; j < m; j++)
            {
                float floor = j == 0 ? (float)(1e-3 * scale) : side[j - 1] * 1.01f + (float)(1e-4 * scale);
                if (!(side[j] > floor)) side[j] = floor;
            }
            return side;
        }
        return Side(negative).Select(v => -v).Reverse().Concat(Side(positive)).ToArray();
    }

    public void Dispose()
    {
        Free.Dispose();
        Zero.Dispose();
    }
}
