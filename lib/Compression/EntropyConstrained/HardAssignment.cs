// The network after entropy-constrained training, made hard: every coded value is its nearest centre (T = 0), kept as
// the centre index; the codebooks are float32; parameters outside the codebooks (biases when they are not coded) and the
// architecture's state stay float32. This is exactly what the file holds and what it decodes to.
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.EntropyConstrained;

/// <summary>One group made hard: its centres (index 0 is zero) and the centre index of each of its values (members concatenated).</summary>
public sealed record HardGroup(string Name, int[] Members, float[] Centres, int[] Assignments)
{
    /// <summary>How many values use each centre.</summary>
    public long[] Counts()
    {
        var counts = new long[Centres.Length];
        foreach (var a in Assignments) counts[a]++;
        return counts;
    }

    /// <summary>n * H(histogram) in bits: the size the coder approaches.</summary>
    public double EntropyBits() => RelaxedEntropy.HardBits(Counts());

    /// <summary>Values not assigned to the zero centre (or to another centre whose value is zero).</summary>
    public long Nonzero() => Assignments.LongCount(a => Centres[a] != 0);
}

public sealed class HardAssignment
{
    public HardAssignment(Architecture architecture, IReadOnlyList<HardGroup> groups, IReadOnlyList<float[]?> floats, IReadOnlyList<float[]> state)
    {
        Architecture = architecture;
        Groups = groups;
        Floats = floats;
        State = state;
        var grouped = new int[architecture.Parameters.Count];
        Array.Fill(grouped, -1);
        for (int g = 0; g < groups.Count; g++)
        {
            long total = 0;
            foreach (var i in groups[g].Members)
            {
                if (grouped[i] >= 0) throw new ArgumentException($"{architecture.Parameters[i].Name} is in two groups");
                grouped[i] = g;
                total += architecture.Parameters[i].Count;
            }
            if (total != groups[g].Assignments.Length) throw new ArgumentException($"group {groups[g].Name}: {groups[g].Assignments.Length} assignments for {total} values");
            if (groups[g].Assignments.Any(a => (uint)a >= (uint)groups[g].Centres.Length)) throw new ArgumentException($"group {groups[g].Name}: assignment outside the codebook");
        }
        for (int i = 0; i < grouped.Length; i++)
            if (grouped[i] < 0 && (floats.Count <= i || floats[i] is null || floats[i]!.Length != architecture.Parameters[i].Count))
                throw new ArgumentException($"{architecture.Parameters[i].Name} is neither coded nor given as floats");
        GroupOf = grouped;
    }

    public Architecture Architecture { get; }

    public IReadOnlyList<HardGroup> Groups { get; }

    /// <summary>Float32 values of the parameters outside every group (null for grouped ones).</summary>
    public IReadOnlyList<float[]?> Floats { get; }

    public IReadOnlyList<float[]> State { get; }

    /// <summary>For every parameter, its group's index, or -1.</summary>
    public IReadOnlyList<int> GroupOf { get; }

    /// <summary>The values of parameter <paramref name="index"/>, row-major.</summary>
    public float[] Values(int index)
    {
        int g = GroupOf[index];
        if (g < 0) return Floats[index]!.ToArray();
        var group = Groups[g];
        long offset = 0;
        foreach (var m in group.Members)
        {
            if (m == index) break;
            offset += Architecture.Parameters[m].Count;
        }
        var v = new float[Architecture.Parameters[index].Count];
        for (int k = 0; k < v.Length; k++) v[k] = group.Centres[group.Assignments[offset + k]];
        return v;
    }

    /// <summary>The hard network, on <paramref name="device"/>.</summary>
    public NetworkValues Network(Device? device = null) =>
        new(Architecture,
            Enumerable.Range(0, Architecture.Parameters.Count).Select(i => tensor(Values(i), Architecture.Parameters[i].Shape, device: device)).ToList(),
            Enumerable.Range(0, Architecture.State.Count).Select(i => tensor(State[i], Architecture.State[i].Shape, device: device)).ToList());

    /// <summary>Fraction of the weights (role Weight) that are not zero.</summary>
    public double NonzeroWeightFraction()
    {
        long nonzero = 0, total = 0;
        for (int i = 0; i < Architecture.Parameters.Count; i++)
        {
            if (Architecture.Parameters[i].Role != ParameterRole.Weight) continue;
            var v = Values(i);
            total += v.Length;
            nonzero += v.LongCount(x => x != 0);
        }
        return total == 0 ? 0 : (double)nonzero / total;
    }

    /// <summary>Sum over groups of n_g * H(histogram_g), bits.</summary>
    public double EntropyBits() => Groups.Sum(g => g.EntropyBits());
}
