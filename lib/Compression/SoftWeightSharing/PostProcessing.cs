// Post-processing of a retrained network (the tutorial's helpers.discretesize): merge mixture
// components that became near-identical, assign every weight to the component with the highest
// responsibility and set it to that component's mean. Weights of the zero component become exactly 0:
// they are pruned.
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

public static class PostProcessing
{
    /// <summary>[tutorial] discretesize merges components whose pairwise KL divergence is below 1e-10.</summary>
    public const double DefaultMergeThreshold = 1e-10;

    /// <summary>
    /// Merges every pair of components with KL(i || j) below <paramref name="klThreshold"/> (in either
    /// direction; transitively, as the tutorial's merger). A merged component gets the summed proportion,
    /// the proportion-weighted mean and the proportion-weighted precision (as the tutorial). The group that
    /// holds the zero component stays component 0 with mean exactly 0 (the tutorial sets the mean closest to
    /// 0 to 0, which is that group unless another mean is closer). <paramref name="map"/> sends each old
    /// component to its merged index.
    /// </summary>
    public static MixtureState Merge(MixtureState mixture, double klThreshold, out int[] map)
    {
        int j = mixture.Count;
        var parent = Enumerable.Range(0, j).ToArray();
        int Find(int a) { while (parent[a] != a) a = parent[a] = parent[parent[a]]; return a; }
        for (int a = 0; a < j; a++)
            for (int b = 0; b < j; b++)
                if (a != b && mixture.KL(a, b) < klThreshold)
                {
                    int ra = Find(a), rb = Find(b);
                    if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                }
        // groups in order of their smallest member, so the zero component's group is first
        var roots = Enumerable.Range(0, j).Select(Find).Distinct().OrderBy(r => r).ToList();
        var groupOf = Enumerable.Range(0, j).Select(a => roots.IndexOf(Find(a))).ToArray();
        map = groupOf;
        var means = new double[roots.Count];
        var gammas = new double[roots.Count];
        var logPis = new double[roots.Count];
        for (int g = 0; g < roots.Count; g++)
        {
            var members = Enumerable.Range(0, j).Where(a => groupOf[a] == g).ToList();
            double maxLogPi = members.Max(a => mixture.LogProportions[a]);
            double weight = 0, mean = 0, precision = 0;
            foreach (var a in members)
            {
                double w = Math.Exp(mixture.LogProportions[a] - maxLogPi);
                weight += w;
                mean += w * mixture.Means[a];
                precision += w * Math.Exp(mixture.LogPrecisions[a]);
            }
            logPis[g] = maxLogPi + Math.Log(weight);
            means[g] = g == 0 ? 0.0 : mean / weight;
            gammas[g] = Math.Log(precision / weight);
        }
        return new MixtureState(means, gammas, logPis);
    }

    /// <summary>Index of the component with the highest responsibility pi_j N(w; mu_j, 1/lambda_j) for each weight (ties: lowest index).</summary>
    public static int[] Assign(ReadOnlySpan<float> weights, MixtureState mixture)
    {
        int j = mixture.Count;
        var offset = new double[j];
        var halfPrecision = new double[j];
        for (int c = 0; c < j; c++)
        {
            offset[c] = mixture.LogProportions[c] + 0.5 * mixture.LogPrecisions[c];
            halfPrecision[c] = 0.5 * Math.Exp(mixture.LogPrecisions[c]);
        }
        var result = new int[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            int best = 0;
            double bestValue = double.NegativeInfinity;
            for (int c = 0; c < j; c++)
            {
                double d = w - mixture.Means[c];
                double v = offset[c] - halfPrecision[c] * d * d;
                if (v > bestValue) { bestValue = v; best = c; }
            }
            result[i] = best;
        }
        return result;
    }

    /// <summary>Entropy in bits per symbol of the empirical distribution of <paramref name="assignments"/>.</summary>
    public static double Entropy(IEnumerable<int> assignments)
    {
        var counts = new Dictionary<int, long>();
        long n = 0;
        foreach (var a in assignments) { counts[a] = counts.GetValueOrDefault(a) + 1; n++; }
        double h = 0;
        foreach (var c in counts.Values) { double p = (double)c / n; h -= p * Math.Log2(p); }
        return h;
    }

    /// <summary>
    /// Quantises the tensors under the prior (<see cref="PriorIndices"/>): merge, assign, snap to means.
    /// Components no weight is assigned to are dropped from the codebook (the zero component always stays,
    /// as index 0). Tensors outside the prior are kept as they are (float32).
    /// </summary>
    public static QuantizedNetwork Quantize(NetworkValues network, MixtureState mixture, bool biasesInPrior, double klThreshold = DefaultMergeThreshold)
    {
        var architecture = network.Architecture;
        var parameters = network.Parameters;
        var merged = Merge(mixture, klThreshold, out _);
        var inPrior = PriorIndices(architecture, biasesInPrior).ToHashSet();
        var raw = new List<int[]?>();
        var floats = new List<float[]?>();
        var used = new bool[merged.Count];
        used[0] = true;
        for (int i = 0; i < parameters.Count; i++)
        {
            var values = ToFloats(parameters[i]);
            if (inPrior.Contains(i))
            {
                var a = Assign(values, merged);
                foreach (var c in a) used[c] = true;
                raw.Add(a);
                floats.Add(null);
            }
            else
            {
                raw.Add(null);
                floats.Add(values);
            }
        }
        // compact the codebook to the used components, keeping their order (zero first)
        var newIndex = new int[merged.Count];
        var kept = new List<int>();
        for (int c = 0; c < merged.Count; c++) if (used[c]) { newIndex[c] = kept.Count; kept.Add(c); }
        var codebook = kept.Select(c => (float)merged.Means[c]).ToArray();
        var assignments = raw.Select(a => a?.Select(c => newIndex[c]).ToArray()).ToList();
        var codebookMixture = new MixtureState(
            kept.Select(c => merged.Means[c]).ToArray(), kept.Select(c => merged.LogPrecisions[c]).ToArray(), kept.Select(c => merged.LogProportions[c]).ToArray());
        var state = Enumerable.Range(0, architecture.State.Count).Select(network.StateFloats).ToList();
        return new QuantizedNetwork(architecture, codebook, assignments, floats, codebookMixture, state);
    }

    /// <summary>
    /// Exact, function-preserving pruning (an addition to the paper's post-processing): a unit (neuron or channel)
    /// whose outgoing weights are all pruned cannot influence the output, so its incoming weights and its bias are
    /// pruned too (set to the zero component). Only along the architecture's <see cref="Architecture.UnitLinks"/>, where
    /// the graph makes it exact (a unit feeding only the next layer's inputs [u * Span, (u + 1) * Span)); an architecture
    /// without links (residual networks, normalisation layers, or one that does not say) is left alone. Applied from the
    /// last link backwards until nothing changes, since pruning a unit's incoming weights can leave units of the layer
    /// below without outgoing weights. Only quantised tensors take part; returns the number of weights and biases newly
    /// set to zero.
    /// </summary>
    public static int PruneDeadUnits(QuantizedNetwork network)
    {
        var arch = network.Architecture;
        var links = arch.UnitLinks;
        int zeroed = 0;
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int l = links.Count - 1; l >= 0; l--)
            {
                var link = links[l];
                int w = arch.IndexOf(link.Weight), next = arch.IndexOf(link.Next);
                int bias = link.Bias is null ? -1 : arch.IndexOf(link.Bias);
                if (network.Assignments[w] is not { } a || network.Assignments[next] is not { } b) continue;
                var biasAssignment = bias >= 0 ? network.Assignments[bias] : null;
                if (bias >= 0 && biasAssignment == null) continue; // a float bias stays; its unit is not dead
                long units = arch.Parameters[w].Shape[0];
                long nextRows = arch.Parameters[next].Shape[0], nextInputs = arch.Parameters[next].Count / nextRows;
                if (units * link.Span != nextInputs)
                    throw new InvalidOperationException($"{arch.Id}: link {link} does not fit: {units} units x {link.Span} != {nextInputs} inputs of {link.Next}");
                long fanIn = arch.Parameters[w].Count / units;
                for (long unit = 0; unit < units; unit++)
                {
                    bool dead = true;
                    for (long r = 0; r < nextRows && dead; r++)
                        for (long k = unit * link.Span; k < (unit + 1) * link.Span; k++)
                            if (b[r * nextInputs + k] != 0) { dead = false; break; }
                    if (!dead) continue;
                    for (long k = unit * fanIn; k < (unit + 1) * fanIn; k++)
                        if (a[k] != 0) { a[k] = 0; zeroed++; changed = true; }
                    if (biasAssignment != null && biasAssignment[unit] != 0) { biasAssignment[unit] = 0; zeroed++; changed = true; }
                }
            }
        }
        return zeroed;
    }

    /// <summary>Indices (in <see cref="Architecture.Parameters"/> order) of the tensors the prior covers.</summary>
    public static IEnumerable<int> PriorIndices(Architecture architecture, bool biasesInPrior) =>
        Enumerable.Range(0, architecture.Parameters.Count)
            .Where(i => architecture.Parameters[i].Role == ParameterRole.Weight || (biasesInPrior && architecture.Parameters[i].IsBiasLike));

    public static float[] ToFloats(Tensor t)
    {
        using var cpu = t.detach().to(float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}

/// <summary>
/// A post-processed network: a codebook of means (index 0 is exactly 0) and, per parameter tensor, either
/// the component index of every element or (tensors outside the prior) float32 values; and the state (running
/// statistics) as float32.
/// </summary>
public sealed class QuantizedNetwork(Architecture architecture, float[] codebook, IReadOnlyList<int[]?> assignments,
    IReadOnlyList<float[]?> floats, MixtureState mixture, IReadOnlyList<float[]> state)
{
    /// <summary>The state tensors' values, in the architecture's State order.</summary>
    public IReadOnlyList<float[]> State { get; } = state;

    public Architecture Architecture { get; } = architecture;
    public float[] Codebook { get; } = codebook;
    public IReadOnlyList<int[]?> Assignments { get; } = assignments;
    public IReadOnlyList<float[]?> Floats { get; } = floats;

    /// <summary>The merged mixture restricted to the codebook's components (same order).</summary>
    public MixtureState Mixture { get; } = mixture;

    /// <summary>Value of element <paramref name="k"/> of tensor <paramref name="i"/>.</summary>
    public float Value(int i, int k) => Assignments[i] is { } a ? Codebook[a[k]] : Floats[i]![k];

    public float[] Values(int i) => Assignments[i] is { } a ? a.Select(c => Codebook[c]).ToArray() : Floats[i]!.ToArray();

    /// <summary>The network with the quantised values (and the state), on <paramref name="device"/>.</summary>
    public NetworkValues Network(Device? device = null) => new(Architecture,
        Enumerable.Range(0, Architecture.Parameters.Count).Select(i => tensor(Values(i), Architecture.Parameters[i].Shape, device: device)).ToList(),
        Enumerable.Range(0, Architecture.State.Count).Select(i => tensor(State[i], Architecture.State[i].Shape, device: device)).ToList());

    /// <summary>Fraction of non-zero values among the tensors of a role (weights by default; the paper's measure).</summary>
    public double NonzeroFraction(ParameterRole role = ParameterRole.Weight)
    {
        long nonzero = 0, total = 0;
        for (int i = 0; i < Architecture.Parameters.Count; i++)
        {
            if (Architecture.Parameters[i].Role != role) continue;
            var v = Values(i);
            nonzero += v.Count(x => x != 0f);
            total += v.Length;
        }
        return total == 0 ? 0 : (double)nonzero / total;
    }
}
