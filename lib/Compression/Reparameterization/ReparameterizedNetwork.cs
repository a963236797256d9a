// A network whose parameters Theta = F(Phi) are decoded from integer latents, group by group. The
// classification loss sees F(round(Phi_hat)) with straight-through gradients; the rate term sees the
// groups' noisy latents under their densities.
using Compression.Models;
using Compression.Probability;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Reparameterization;

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
    public Architecture Architecture { get; }
    public IReadOnlyList<ParameterGroup> Groups { get; }

    ReparameterizedNetwork(Architecture architecture, IReadOnlyList<ParameterGroup> groups)
    {
        Architecture = architecture; Groups = groups;
    }

    /// <summary>Latents initialised from a network's parameter values (e.g. <see cref="Architecture.Initialize"/>).</summary>
    public static ReparameterizedNetwork Create(Architecture architecture, IReadOnlyList<GroupSpec> groups,
        IReadOnlyList<Tensor> initial, LatentInitialization? initialization = null, Device? device = null)
    {
        initialization ??= new LatentInitialization();
        device ??= CPU;
        var names = groups.SelectMany(g => g.Members).ToList();
        var missing = architecture.Parameters.Select(p => p.Name).Except(names).ToList();
        if (missing.Count > 0) throw new ArgumentException($"parameters in no group: {string.Join(", ", missing)}");
        var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"parameters in several groups: {string.Join(", ", repeated)}");
        var built = groups.Select(g =>
        {
            double step = initialization.StepFor(g.Members.Select(m => initial[architecture.IndexOf(m)]));
            return ParameterGroup.Create(g, architecture, initial, step, device);
        }).ToList();
        return new ReparameterizedNetwork(architecture, built);
    }

    /// <summary>The architecture's parameters decoded from the latents, rounded (straight-through) when <paramref name="quantize"/>.</summary>
    public IReadOnlyList<Tensor> DecodeParameters(bool quantize = true)
    {
        var result = new Tensor[Architecture.Parameters.Count];
        foreach (var g in Groups)
            for (int m = 0; m < g.Members.Count; m++) result[g.Members[m].Index] = g.Decode(m, quantize);
        return result;
    }

    /// <summary>The rate term: sum over groups of the relaxed self-information, in bits.</summary>
    public Tensor RateBits(RateEvaluation evaluation = RateEvaluation.Auto, bool noise = true)
    {
        Tensor? total = null;
        foreach (var g in Groups)
        {
            var bits = g.RateBits(evaluation, noise);
            total = total is null ? bits : total + bits;
        }
        return total!;
    }

    /// <summary>Latents and decoder variables: trained by the network's optimizer.</summary>
    public IReadOnlyList<Parameter> ModelVariables => [.. LatentVariables, .. DecoderVariables];

    /// <summary>The continuous surrogates phi_hat of every group.</summary>
    public IReadOnlyList<Parameter> LatentVariables => Groups.SelectMany(g => g.Latents).ToList();

    /// <summary>The decoders' variables psi (log-scales and shifts).</summary>
    public IReadOnlyList<Parameter> DecoderVariables => Groups.SelectMany(g => g.Decoder.Parameters).ToList();

    /// <summary>The densities' variables: trained by their own optimizer (Adam, 1e-4).</summary>
    public IReadOnlyList<Parameter> DensityVariables => Groups.SelectMany(g => g.Density.Parameters).ToList();

    public IReadOnlyList<Parameter> AllVariables => [.. ModelVariables, .. DensityVariables];

    public long LatentCount => Groups.Sum(g => g.LatentCount);

    public void Dispose()
    {
        foreach (var g in Groups) g.Dispose();
    }
}
