// Compression and decompression of a trained EPR network (section 2.2): each group's integer latents
// phi = round(phi_hat) are range coded under probability tables tabulated from the group's density, one
// table per column; the frozen decoder's few bytes travel with them. Decompression needs nothing but the
// file: it decodes the symbols and applies the stored decoders, giving bit-identical parameters.
using Compression.Coding;
using Compression.Format;
using Compression.Models;
using Compression.Probability;
using Compression.Reparameterization;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Epr;

public static class EprCompressor
{
    public const string Method = "epr";

    /// <summary>The compressed form of a trained network (its current variables: swap in the EMA first).</summary>
    public static CompressedModel Compress(ReparameterizedNetwork network) => new()
    {
        Architecture = network.Architecture.Id,
        Method = Method,
        Groups = network.Groups.Select(CompressGroup).ToList(),
    };

    /// <summary>One coded group: symbols row-major per member, one table per column.</summary>
    public static CodedGroup CompressGroup(ParameterGroup group)
    {
        var symbols = group.IntegerLatents().SelectMany(s => s).ToArray();
        var tables = Enumerable.Range(0, group.Columns).Select(c => TableFor(group.Density, c, Column(symbols, c, group.Columns))).ToList();
        var frozen = group.Decoder.Freeze();
        var tensors = group.Members.Select(m => (m.Spec.Name, m.Spec.Shape.Select(d => checked((int)d)).ToArray())).ToList();
        return CodedGroup.Encode(group.Name, group.Columns, tensors, symbols, tables, (byte)frozen.Kind, frozen.ToBytes());
    }

    /// <summary>
    /// The table of one column: the density's PMF over a range of integers, the mass outside it on the escape
    /// symbol. The range is the one inside [min, max] of the actual values that minimises table bytes plus
    /// coded bits (so rare outliers may be escaped rather than widen the table).
    /// </summary>
    public static CdfTable TableFor(DeepFactorizedDensity density, int column, int[] values)
    {
        int min = values.Min(), max = values.Max();
        var full = PmfTabulation.Tabulate(density, column, min, max);
        var counts = new long[max - min + 1];
        foreach (var v in values) counts[v - min]++;
        var range = TableRange.Best(full, counts);
        return range;
    }

    static int[] Column(int[] symbols, int column, int columns)
    {
        if (columns == 1) return symbols;
        var result = new int[symbols.Length / columns];
        for (int i = 0; i < result.Length; i++) result[i] = symbols[i * columns + column];
        return result;
    }

    /// <summary>The parameters a compressed EPR model decodes to, in the architecture's order, float32 on <paramref name="device"/>.</summary>
    public static IReadOnlyList<Tensor> Decompress(CompressedModel model, Architecture architecture, Device? device = null)
    {
        if (model.Method != Method) throw new InvalidDataException($"not an EPR model (method '{model.Method}')");
        if (model.Architecture != architecture.Id) throw new InvalidDataException($"model is for {model.Architecture}, not {architecture.Id}");
        var result = new Tensor?[architecture.Parameters.Count];
        foreach (var group in model.Groups)
        {
            var decoder = FrozenDecoder.FromBytes((DecoderKind)group.DecoderKind, group.DecoderParameters);
            if (decoder.Columns != group.Columns) throw new InvalidDataException($"group '{group.Name}': decoder has {decoder.Columns} columns, group {group.Columns}");
            var symbols = group.DecodeSymbols();
            int at = 0;
            foreach (var (name, shape) in group.Tensors)
            {
                int count = shape.Aggregate(1, (a, b) => a * b);
                using var latent = tensor(symbols.AsSpan(at, count).ToArray(), [count / group.Columns, group.Columns]);
                var values = decoder.Decode(latent).reshape(shape.Select(d => (long)d).ToArray());
                Place(result, architecture, name, values.to(device ?? CPU));
                at += count;
            }
        }
        foreach (var side in model.SideTensors)
            Place(result, architecture, side.Name, tensor(side.Values, side.Shape.Select(d => (long)d).ToArray()).to(device ?? CPU));
        var missing = architecture.Parameters.Where((p, i) => result[i] is null).Select(p => p.Name).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"the file lacks {string.Join(", ", missing)}");
        return result!;
    }

    static void Place(Tensor?[] result, Architecture architecture, string name, Tensor values)
    {
        int index = architecture.IndexOf(name);
        if (result[index] is not null) throw new InvalidDataException($"{name} appears twice in the file");
        if (!values.shape.SequenceEqual(architecture.Parameters[index].Shape)) throw new InvalidDataException($"{name} has shape [{string.Join(",", values.shape)}]");
        values.DetachFromDisposeScope();
        result[index] = values;
    }

    /// <summary>What the file must decode to: the frozen decoders applied to round(phi_hat), in architecture order.</summary>
    public static IReadOnlyList<Tensor> ExpectedParameters(ReparameterizedNetwork network)
    {
        var result = new Tensor[network.Architecture.Parameters.Count];
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
        return result;
    }
}
