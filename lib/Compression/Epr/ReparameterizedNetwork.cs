// A network whose parameters Theta = F(Phi) are decoded from integer latents, group by group (EPR section 2).
// The classification loss sees F(round(Phi_hat)) with straight-through gradients; the rate term sees the groups'
// noisy latents under their densities. Parameters the plan stores as float32 are trained as they are, and state
// (batch-norm running statistics) is kept beside them.
using Compression.Grouping;
using Compression.Models;
using Compression.Probability;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Epr;

/// <summary>
/// How the initial quantisation step of a group is chosen: the RMS of its initial values divided by
/// <paramref name="StepsPerRms"/>, or <paramref name="ZeroGroupStep"/> for an all-zero group (the biases).
/// </summary>
public sealed record LatentInitialization(double StepsPerRms = 1, double ZeroGroupStep = 1e-2)
{
    public double StepFor(IEnumerable<Tensor> values)
    {
        double sum = 0; long count = 0;
        using (no_grad())
            foreach (var v in values) { sum += v.to(float64).square().sum().item<double>(); count += v.numel(); }
        double rms = Math.Sqrt(sum / Math.Max(1, count));
        return rms > 0 ? rms / StepsPerRms : ZeroGroupStep;
    }
}

public sealed class ReparameterizedNetwork : IDisposable
{
    ReparameterizedNetwork(GroupPlan plan, IReadOnlyList<ParameterGroup> groups, IReadOnlyList<(int Index, Parameter Value)> float32, IReadOnlyList<Tensor> state)
    {
        Plan = plan; Groups = groups; Float32 = float32; State = state;
    }

    public Architecture Architecture => Plan.Architecture;
    public GroupPlan Plan { get; }
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Parameters stored as float32, trained directly, with their index in the architecture.</summary>
    public IReadOnlyList<(int Index, Parameter Value)> Float32 { get; }

    /// <summary>The network's state (running statistics), updated by training-mode forward passes.</summary>
    public IReadOnlyList<Tensor> State { get; }

    /// <summary>Latents initialised from a network's values (e.g. <see cref="Architecture.NewNetwork"/> or a pretrained one).</summary>
    public static ReparameterizedNetwork Create(GroupPlan plan, NetworkValues initial, LatentInitialization? initialization = null, Device? device = null)
    {
        initialization ??= new LatentInitialization();
        device ??= CPU;
        var architecture = plan.Architecture;
        if (initial.Architecture.Id != architecture.Id) throw new ArgumentException($"initial values are for {initial.Architecture.Id}, the plan for {architecture.Id}");
        var values = initial.Parameters;
        var built = plan.Groups.Select(g =>
        {
            double step = initialization.StepFor(g.Members.Select(m => values[architecture.IndexOf(m)]));
            return ParameterGroup.Create(g, architecture, values, step, device);
        }).ToList();
        var float32 = new List<(int, Parameter)>();
        var state = new List<Tensor>();
        using (no_grad())
        {
            foreach (var name in plan.Float32)
            {
                int i = architecture.IndexOf(name);
                var p = new Parameter(values[i].detach().to(device).clone());
                p.DetachFromDisposeScope();
                float32.Add((i, p));
            }
            foreach (var s in initial.State)
            {
                var copy = s.detach().to(device).clone();
                copy.DetachFromDisposeScope();
                state.Add(copy);
            }
        }
        return new ReparameterizedNetwork(plan, built, float32, state);
    }

    /// <summary>The architecture's parameters decoded from the latents, rounded (straight-through) when <paramref name="quantize"/>.</summary>
    public IReadOnlyList<Tensor> DecodeParameters(bool quantize = true)
    {
        var result = new Tensor[Architecture.Parameters.Count];
        foreach (var g in Groups)
            for (int m = 0; m < g.Members.Count; m++) result[g.Members[m].Index] = g.Decode(m, quantize);
        foreach (var (index, value) in Float32) result[index] = value;
        return result;
    }

    /// <summary>The decoded network (parameters and this network's state), for a forward pass; owns nothing.</summary>
    public NetworkValues Values(bool quantize = true) => new(Architecture, DecodeParameters(quantize), State, owns: false);

    /// <summary>The rate term: sum over groups of the relaxed self-information, in bits.</summary>
    /// <remarks><paramref name="noiseSeeds"/>: one fused-noise seed per group (<see cref="DrawNoiseSeeds"/>), or null to draw
    /// each when its group is evaluated.</remarks>
    public Tensor RateBits(RateEvaluation evaluation = RateEvaluation.Auto, bool noise = true, IReadOnlyList<ulong>? noiseSeeds = null)
    {
        if (noiseSeeds is not null && noiseSeeds.Count != Groups.Count)
            throw new ArgumentException($"{noiseSeeds.Count} noise seeds for {Groups.Count} groups", nameof(noiseSeeds));
        return TotalBits(Groups.Select((g, i) => g.RateBits(evaluation, noise, noiseSeeds?[i])));
    }

    /// <summary>The rate term from the groups' bits: their sum in group order (one float sum, whoever evaluated them); 0 without groups.</summary>
    public static Tensor TotalBits(IEnumerable<Tensor> groupBits)
    {
        Tensor? total = null;
        foreach (var bits in groupBits) total = total is null ? bits : total + bits;
        return total ?? zeros(1);
    }

    /// <summary>
    /// The noise seeds <see cref="RateBits"/> would draw for the fused rate, one per group in group order, drawn
    /// now from libtorch's generator: evaluating the rate with them later (or on another thread) gives the same bits.
    /// </summary>
    public IReadOnlyList<ulong> DrawNoiseSeeds() => Groups.Select(_ => NoisyRate.DrawNoiseSeed()).ToList();

    /// <summary>The continuous surrogates phi_hat of every group.</summary>
    public IReadOnlyList<Parameter> LatentVariables => Groups.SelectMany(g => g.Latents).ToList();

    /// <summary>The decoders' variables psi (log-scales and shifts).</summary>
    public IReadOnlyList<Parameter> DecoderVariables => Groups.SelectMany(g => g.Decoder.Parameters).ToList();

    /// <summary>The float32 parameters.</summary>
    public IReadOnlyList<Parameter> Float32Variables => Float32.Select(f => f.Value).ToList();

    /// <summary>The densities' variables: trained by their own optimizer (Adam).</summary>
    public IReadOnlyList<Parameter> DensityVariables => Groups.SelectMany(g => g.Density.Parameters).ToList();

    /// <summary>Everything trained: latents, decoders, float32 parameters, densities (in that order).</summary>
    public IReadOnlyList<Parameter> AllVariables => [.. LatentVariables, .. DecoderVariables, .. Float32Variables, .. DensityVariables];

    public long LatentCount => Groups.Sum(g => g.LatentCount);

    public void Dispose()
    {
        foreach (var g in Groups) g.Dispose();
        foreach (var (_, p) in Float32) p.Dispose();
        foreach (var s in State) s.Dispose();
    }
}
