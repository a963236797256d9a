// A parameter group: the latents phi_hat of its member tensors (each viewed as d rows of l values), one
// parameter decoder and one factorized density with l columns, shared by all members.
using Compression.Grouping;
using Compression.Models;
using Compression.Probability;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Epr;

public sealed class ParameterGroup : IDisposable
{
    public GroupSpec Spec { get; }
    public string Name => Spec.Name;
    public int Columns => Decoder.Columns;

    /// <summary>Member tensors, with their position in the architecture's parameter list.</summary>
    public IReadOnlyList<(int Index, ParameterSpec Spec)> Members { get; }

    public ParameterDecoder Decoder { get; }
    public DeepFactorizedDensity Density { get; }

    /// <summary>The density with its tables and coding (for compression).</summary>
    public EntropyModel Entropy => new(Density);

    /// <summary>Continuous surrogates phi_hat, one (rows x l) matrix per member.</summary>
    public IReadOnlyList<Parameter> Latents { get; }

    public long LatentCount => Latents.Sum(l => l.numel());

    ParameterGroup(GroupSpec spec, IReadOnlyList<(int, ParameterSpec)> members, ParameterDecoder decoder, DeepFactorizedDensity density, IReadOnlyList<Parameter> latents)
    {
        Spec = spec; Members = members; Decoder = decoder; Density = density; Latents = latents;
    }

    /// <summary>
    /// A group whose latents decode (before rounding) to <paramref name="initial"/> values of its members:
    /// phi_hat = f^-1(theta) with the decoder's initial scale <paramref name="initialScale"/> (the quantisation step).
    /// </summary>
    public static ParameterGroup Create(GroupSpec spec, Architecture architecture, IReadOnlyList<Tensor> initial, double initialScale, Device device)
    {
        var members = spec.Members.Select(name => { int i = architecture.IndexOf(name); return (i, architecture.Parameters[i]); }).ToList();
        ParameterDecoder decoder = spec.Decoder switch
        {
            DecoderFamily.ScalarAffine => new ScalarAffineDecoder(initialScale, device: device),
            DecoderFamily.TransformAffine => new TransformAffineDecoder(spec.Transform, spec.Columns, initialScale, spec.TransformSeed, device),
            _ => throw new ArgumentException($"unknown decoder {spec.Decoder}"),
        };
        var density = new DeepFactorizedDensity(decoder.Columns, device: device);
        var latents = new List<Parameter>();
        using (no_grad())
        {
            foreach (var (index, p) in members)
            {
                var rows = Rows(initial[index].to(device), decoder.Columns, p);
                var latent = new Parameter(decoder.Encode(rows).detach().contiguous());
                latent.DetachFromDisposeScope();
                latents.Add(latent);
            }
        }
        return new ParameterGroup(spec, members, decoder, density, latents);
    }

    /// <summary>A member's values as latent rows: (count / l) x l, kernels flattened row by row.</summary>
    public static Tensor Rows(Tensor values, int columns, ParameterSpec spec)
    {
        if (spec.Count % columns != 0) throw new ArgumentException($"{spec} does not split into rows of {columns}");
        return values.reshape(spec.Count / columns, columns);
    }

    /// <summary>The decoded value of member <paramref name="member"/> in its architecture shape.</summary>
    public Tensor Decode(int member, bool quantize)
    {
        var latent = quantize ? StraightThrough.Round(Latents[member]) : (Tensor)Latents[member];
        return Decoder.Decode(latent).reshape(Members[member].Spec.Shape);
    }

    /// <summary>Relaxed self-information of the group's latents in bits (eq. 8).</summary>
    public Tensor RateBits(RateEvaluation evaluation, bool noise = true, ulong? noiseSeed = null) =>
        NoisyRate.Bits(Density, Latents.Cast<Tensor>().ToList(), evaluation, noise, noiseSeed);

    /// <summary>The integer latents phi = round(phi_hat), flattened row-major per member.</summary>
    public IReadOnlyList<int[]> IntegerLatents()
    {
        using var no = no_grad();
        return Latents.Select(l =>
        {
            using var r = l.detach().round().to(int32).cpu();
            return r.data<int>().ToArray();
        }).ToList();
    }

    public IEnumerable<Parameter> ModelVariables => Latents.Concat(Decoder.Parameters);

    public void Dispose()
    {
        foreach (var l in Latents) l.Dispose();
        Decoder.Dispose();
        Density.Dispose();
    }
}
