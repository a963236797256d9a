// Coding a post-processed network with the package's range coder and container. Every quantised tensor
// becomes a sequence of component indices; a group of tensors shares one table. Per group:
//   - the local alphabet: the components its tensors use, in codebook order (the zero component first
//     when present); symbols are positions in it;
//   - DecoderParameters: the alphabet's means as float32 little-endian (the decoder maps symbol s to them);
//   - one CdfTable (columns = 1) from the empirical symbol frequencies, or from the merged mixture's
//     proportions, whichever the caller picks (CompressSmallest tries both and every group layout).
// Tensors outside the prior (biases when BiasesInPrior is false) are float32 side tensors.
using Compression.Coding;
using Compression.Format;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

/// <summary>How quantised tensors are grouped, each group with one table and one alphabet.</summary>
public enum GroupLayout
{
    /// <summary>One group for every quantised tensor.</summary>
    Model,
    /// <summary>One group per weight tensor, all quantised biases together in one more group.</summary>
    Tensor,
    /// <summary>One group per layer (its weight and its bias).</summary>
    Layer,
}

/// <summary>Where a group's table comes from.</summary>
public enum TableSource
{
    /// <summary>The group's own symbol frequencies.</summary>
    Empirical,
    /// <summary>The merged mixture's proportions pi_j of the group's components.</summary>
    Mixture,
}

public sealed record CodingCandidate(GroupLayout Layout, TableSource Tables, long Bytes);

public static class SwsCodec
{
    public const string Method = "sws";

    /// <summary>DecoderKind of soft weight-sharing groups: symbol s decodes to the s-th float32 of DecoderParameters.</summary>
    public const byte CodebookDecoder = 1;

    public static CompressedModel Compress(QuantizedNetwork network, GroupLayout layout = GroupLayout.Tensor, TableSource tables = TableSource.Empirical)
    {
        var arch = network.Architecture;
        var groups = new List<CodedGroup>();
        foreach (var (name, members) in Groups(network, layout))
        {
            var symbolsGlobal = members.SelectMany(i => network.Assignments[i]!).ToArray();
            var alphabet = symbolsGlobal.Distinct().Order().ToArray();
            var local = new int[network.Codebook.Length];
            for (int k = 0; k < alphabet.Length; k++) local[alphabet[k]] = k;
            var symbols = symbolsGlobal.Select(s => local[s]).ToArray();
            var pmf = new double[alphabet.Length];
            if (tables == TableSource.Empirical) foreach (var s in symbols) pmf[s]++;
            else for (int k = 0; k < alphabet.Length; k++) pmf[k] = network.Mixture.Proportions[alphabet[k]];
            var table = CdfTable.FromPmf(pmf, 0, 0);
            var means = new byte[4 * alphabet.Length];
            for (int k = 0; k < alphabet.Length; k++) BitConverter.TryWriteBytes(means.AsSpan(4 * k), network.Codebook[alphabet[k]]);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the file format stores little-endian floats");
            var tensors = members.Select(i => (arch.Parameters[i].Name, arch.Parameters[i].Shape.Select(d => (int)d).ToArray())).ToList();
            groups.Add(CodedGroup.Encode(name, 1, tensors, symbols, [table], CodebookDecoder, means));
        }
        var side = Enumerable.Range(0, arch.Parameters.Count).Where(i => network.Assignments[i] == null)
            .Select(i => new SideTensor(arch.Parameters[i].Name, arch.Parameters[i].Shape.Select(d => (int)d).ToArray(), network.Floats[i]!.ToArray()))
            .ToList();
        return new CompressedModel { Architecture = arch.Id, Method = Method, Groups = groups, SideTensors = side };
    }

    /// <summary>Every layout with both table sources; returns the model whose file is smallest and all candidates' file lengths.</summary>
    public static CompressedModel CompressSmallest(QuantizedNetwork network, out IReadOnlyList<CodingCandidate> candidates)
    {
        var list = new List<CodingCandidate>();
        CompressedModel? best = null;
        long bestBytes = long.MaxValue;
        foreach (var layout in Enum.GetValues<GroupLayout>())
            foreach (var source in Enum.GetValues<TableSource>())
            {
                var model = Compress(network, layout, source);
                long bytes = CompressedModelFile.ToBytes(model).LongLength;
                list.Add(new CodingCandidate(layout, source, bytes));
                if (bytes < bestBytes) { bestBytes = bytes; best = model; }
            }
        candidates = list;
        return best!;
    }

    /// <summary>The network's tensors (in <see cref="Architecture.Parameters"/> order) decoded from a compressed model.</summary>
    public static IReadOnlyList<Tensor> Decompress(CompressedModel model, Architecture architecture, Device? device = null)
    {
        var values = DecompressValues(model, architecture);
        return Enumerable.Range(0, architecture.Parameters.Count)
            .Select(i => tensor(values[i], architecture.Parameters[i].Shape, device: device)).ToList();
    }

    /// <summary>The decoded values of every tensor as float32 arrays, in architecture order.</summary>
    public static float[][] DecompressValues(CompressedModel model, Architecture architecture)
    {
        if (model.Method != Method) throw new InvalidDataException($"the file holds a '{model.Method}' model, not '{Method}'");
        if (model.Architecture != architecture.Id) throw new InvalidDataException($"the file holds {model.Architecture}, not {architecture.Id}");
        var values = new float[architecture.Parameters.Count][];
        void Put(string name, int[] shape, float[] v)
        {
            int i = architecture.IndexOf(name);
            var spec = architecture.Parameters[i];
            if (!shape.Select(d => (long)d).SequenceEqual(spec.Shape))
                throw new InvalidDataException($"{name}: stored shape [{string.Join(", ", shape)}], the architecture has {spec}");
            if (values[i] != null) throw new InvalidDataException($"{name} is stored twice");
            values[i] = v;
        }
        foreach (var g in model.Groups)
        {
            if (g.DecoderKind != CodebookDecoder) throw new InvalidDataException($"group '{g.Name}': decoder kind {g.DecoderKind} is not the codebook decoder ({CodebookDecoder})");
            if (g.DecoderParameters.Length % 4 != 0) throw new InvalidDataException($"group '{g.Name}': codebook of {g.DecoderParameters.Length} bytes is not float32s");
            var means = new float[g.DecoderParameters.Length / 4];
            for (int k = 0; k < means.Length; k++) means[k] = BitConverter.ToSingle(g.DecoderParameters, 4 * k);
            var symbols = g.DecodeSymbols();
            int at = 0;
            foreach (var (name, shape) in g.Tensors)
            {
                int count = shape.Aggregate(1, (a, b) => a * b);
                var v = new float[count];
                for (int k = 0; k < count; k++)
                {
                    int s = symbols[at + k];
                    if ((uint)s >= (uint)means.Length) throw new InvalidDataException($"group '{g.Name}': symbol {s} outside its codebook of {means.Length}");
                    v[k] = means[s];
                }
                at += count;
                Put(name, shape, v);
            }
        }
        foreach (var s in model.SideTensors) Put(s.Name, s.Shape, s.Values.ToArray());
        for (int i = 0; i < values.Length; i++)
            if (values[i] == null) throw new InvalidDataException($"{architecture.Parameters[i].Name} is missing from the file");
        return values!;
    }

    static IEnumerable<(string Name, List<int> Members)> Groups(QuantizedNetwork network, GroupLayout layout)
    {
        var arch = network.Architecture;
        var coded = Enumerable.Range(0, arch.Parameters.Count).Where(i => network.Assignments[i] != null).ToList();
        switch (layout)
        {
            case GroupLayout.Model:
                yield return ("all", coded);
                break;
            case GroupLayout.Tensor:
                foreach (var i in coded.Where(i => arch.Parameters[i].Role == ParameterRole.Weight)) yield return (arch.Parameters[i].Name, [i]);
                var biases = coded.Where(i => arch.Parameters[i].Role == ParameterRole.Bias).ToList();
                if (biases.Count > 0) yield return ("biases", biases);
                break;
            case GroupLayout.Layer:
                foreach (var layer in coded.Select(i => arch.Parameters[i].Layer).Distinct())
                    yield return (layer, coded.Where(i => arch.Parameters[i].Layer == layer).ToList());
                break;
        }
    }
}
