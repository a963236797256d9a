// The compressed form of an EPR network and its decoding. Per group: the integer latents phi = round(phi_hat),
// row-major per member, range-coded under tables tabulated from the group's density (its EntropyModel), the
// frozen decoder's few bytes beside them. Parameters the plan keeps as float32, and the network's state, are side
// tensors. Decoding needs nothing but the file and the architecture: it checks every declared size against the
// architecture before it decodes anything, decodes the symbols and applies the stored decoders, giving
// bit-identical parameters.
using System.Runtime.CompilerServices;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Epr;

public sealed class EprCodec : IMethodDecoder
{
    public const string Method = "epr";

    public static readonly EprCodec Instance = new();

#pragma warning disable CA2255 // the package's own method registers its decoder when the library loads
    [ModuleInitializer]
    internal static void Register() => CompressionMethods.Register(Instance);
#pragma warning restore CA2255

    public string Id => Method;
    public string DisplayName => "EPR";

    /// <summary>The compressed form of a trained network (its current variables: swap in the EMA first).</summary>
    public static CompressedModel Compress(ReparameterizedNetwork network)
    {
        var architecture = network.Architecture;
        var sides = new List<SideTensor>();
        foreach (var (index, value) in network.Float32)
            sides.Add(SideTensorOf(architecture.Parameters[index].Name, architecture.Parameters[index].Shape, value, SideTensorKind.Parameter));
        for (int i = 0; i < network.State.Count; i++)
            sides.Add(SideTensorOf(architecture.State[i].Name, architecture.State[i].Shape, network.State[i], SideTensorKind.State));
        return new CompressedModel
        {
            Architecture = architecture.Id,
            Method = Method,
            Groups = network.Groups.Select(CompressGroup).ToList(),
            SideTensors = sides,
        };
    }

    static SideTensor SideTensorOf(string name, long[] shape, Tensor value, SideTensorKind kind)
    {
        using var cpu = value.detach().to(float32).cpu().contiguous();
        return new SideTensor(name, shape.Select(d => checked((int)d)).ToArray(), cpu.data<float>().ToArray(), kind);
    }

    /// <summary>One coded group: symbols row-major per member, one table per column, the frozen decoder.</summary>
    public static CodedGroup CompressGroup(ParameterGroup group)
    {
        var symbols = group.IntegerLatents().SelectMany(s => s).ToArray();
        var frozen = group.Decoder.Freeze();
        var tensors = group.Members.Select(m => (m.Spec.Name, m.Spec.Shape.Select(d => checked((int)d)).ToArray())).ToList();
        return group.Entropy.Encode(group.Name, tensors, symbols, (byte)frozen.Kind, frozen.ToBytes());
    }

    NetworkValues IMethodDecoder.Decode(CompressedModel model, Architecture architecture, Device? device) => Decode(model, architecture, device);

    /// <summary>
    /// The network a compressed EPR model decodes to, float32 on <paramref name="device"/> (the CPU by default).
    /// Anything the architecture does not expect is a <see cref="CorruptModelFileException"/>, raised before any symbol is decoded.
    /// </summary>
    public static NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null)
    {
        static CorruptModelFileException Bad(string problem, string field, long offset = -1) => new(problem, offset, field);
        if (model.Method != Method) throw Bad($"not an EPR model (method '{model.Method}')", "method");
        if (model.Architecture != architecture.Id) throw Bad($"the model is for '{model.Architecture}', not '{architecture.Id}'", "architecture");
        var parameters = new Tensor?[architecture.Parameters.Count];
        var state = new Tensor?[architecture.State.Count];
        var claimed = new HashSet<string>(StringComparer.Ordinal);

        // 1. every declared tensor against the architecture, before any work that grows with the declared sizes
        foreach (var group in model.Groups)
            foreach (var (name, shape) in group.Tensors)
            {
                string field = $"group '{group.Name}' tensor '{name}'";
                if (!architecture.HasParameter(name)) throw Bad($"{architecture.Id} has no parameter '{name}'", field, group.TensorsOffset);
                var expected = architecture.Parameters[architecture.IndexOf(name)].Shape;
                if (!shape.Select(d => (long)d).SequenceEqual(expected)) throw Bad($"shape {Shape(shape)}, {architecture.Id} has [{string.Join(", ", expected)}]", field, group.TensorsOffset);
                if (!claimed.Add(name)) throw Bad($"{name} appears twice", field, group.TensorsOffset);
                // every tensor fills whole latent rows (the file's total alone does not say that of each tensor)
                if (architecture.Parameters[architecture.IndexOf(name)].Count % group.Columns != 0)
                    throw Bad($"{name}'s {architecture.Parameters[architecture.IndexOf(name)].Count} values do not fill rows of {group.Columns} columns", field, group.TensorsOffset);
            }
        SideTensorCheck.Check(model, architecture, claimed);

        // 2. decode: work and memory bounded by the architecture's own size
        using var scope = NewDisposeScope();
        foreach (var group in model.Groups)
        {
            FrozenDecoder decoder;
            try { decoder = FrozenDecoder.FromBytes((DecoderKind)group.DecoderKind, group.DecoderParameters); }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            { throw new CorruptModelFileException(e.Message, group.DecoderParametersOffset, $"group '{group.Name}' decoder parameters", inner: e); }
            if (decoder.Columns != group.Columns)
                throw Bad($"the decoder has {decoder.Columns} columns, the group {group.Columns}", $"group '{group.Name}' decoder parameters", group.DecoderParametersOffset);
            var symbols = group.DecodeSymbols(group.Tensors.Sum(t => architecture.Parameters[architecture.IndexOf(t.Name)].Count) is var n && n <= int.MaxValue
                ? (int)n : throw Bad("more symbols than an array holds", $"group '{group.Name}' tensors"));
            int at = 0;
            foreach (var (name, shape) in group.Tensors)
            {
                int count = shape.Aggregate(1, (a, b) => a * b);
                using var latent = tensor(symbols.AsSpan(at, count).ToArray(), [count / group.Columns, group.Columns]);
                parameters[architecture.IndexOf(name)] = decoder.Decode(latent).reshape(shape.Select(d => (long)d).ToArray()).to(device ?? CPU).DetachFromDisposeScope();
                at += count;
            }
        }
        foreach (var side in model.SideTensors)
        {
            var values = tensor(side.Values, side.Shape.Select(d => (long)d).ToArray()).to(device ?? CPU).DetachFromDisposeScope();
            if (architecture.HasParameter(side.Name)) parameters[architecture.IndexOf(side.Name)] = values;
            else state[architecture.StateIndexOf(side.Name)] = values;
        }
        return new NetworkValues(architecture, parameters!, state!);
    }

    static string Shape(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>What the file must decode to: the frozen decoders applied to round(phi_hat), the float32 parameters and the state.</summary>
    public static NetworkValues ExpectedValues(ReparameterizedNetwork network)
    {
        var architecture = network.Architecture;
        var result = new Tensor[architecture.Parameters.Count];
        using var no = no_grad();
        foreach (var g in network.Groups)
        {
            var frozen = g.Decoder.Freeze();
            for (int m = 0; m < g.Members.Count; m++)
            {
                using var rounded = g.Latents[m].detach().round().to(int32).cpu();
                var values = frozen.Decode(rounded).reshape(g.Members[m].Spec.Shape);
                values.DetachFromDisposeScope();
                result[g.Members[m].Index] = values;
            }
        }
        foreach (var (index, value) in network.Float32) result[index] = value.detach().to(float32).cpu().clone().DetachFromDisposeScope();
        var state = network.State.Select(s => s.detach().to(float32).cpu().clone().DetachFromDisposeScope()).ToList();
        return new NetworkValues(architecture, result, state);
    }
}
