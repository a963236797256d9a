// The file of entropy-constrained training (method id "ec"), in the package's container (Format/FORMAT.md) and range
// coder. One coded group per codebook group of the training (each weight tensor; all biases together), columns l = 1,
// tensors stored with their full shapes. The symbols are positions in the group's local alphabet: the centres its values
// use, in codebook order (so the zero centre, when used, is symbol 0). The table is tabulated from the learned
// assignment distribution at T = 0, i.e. the histogram of the hard assignments (CategoricalDensity through
// EntropyModel, whose TableRange may escape a rare symbol rather than widen the table): the stream then costs the
// n_g * H(P_g) bits the training minimised, plus the table and about a byte.
//
// DecoderParameters of a group (DecoderKind 1), little-endian: byte version (1); ushort K (>= 1); K float32 centre values
// (finite). Symbol s decodes to centre s. Parameters outside the groups and the architecture's state are float32 side tensors.
//
// Decoding never trusts the file: names, shapes and kinds are checked against the architecture, the decoder-parameter
// length against K before anything is allocated, the symbol count against the architecture before decoding, and every
// symbol against K; anything else is a CorruptModelFileException naming the field.
using System.Runtime.CompilerServices;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Probability;
using static TorchSharp.torch;

namespace Compression.EntropyConstrained;

public sealed class EcCodec : IMethodDecoder
{
    public const string Method = "ec";

    /// <summary>DecoderKind of an entropy-constrained codebook group.</summary>
    public const byte CodebookDecoder = 1;

    const byte Version = 1;

    public static readonly EcCodec Instance = new();

#pragma warning disable CA2255 // the package's own method registers its decoder when the library loads
    [ModuleInitializer]
    internal static void Register() => CompressionMethods.Register(Instance);
#pragma warning restore CA2255

    public string Id => Method;
    public string DisplayName => "Entropy-constrained";

    /// <summary>The file of a hard-assigned network.</summary>
    public static CompressedModel Compress(HardAssignment network)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the file format stores little-endian values");
        var arch = network.Architecture;
        var groups = new List<CodedGroup>();
        foreach (var g in network.Groups)
        {
            var counts = g.Counts();
            var alphabet = Enumerable.Range(0, g.Centres.Length).Where(k => counts[k] > 0).ToArray();
            var local = new int[g.Centres.Length];
            for (int k = 0; k < alphabet.Length; k++) local[alphabet[k]] = k;
            var parameters = new List<byte> { Version };
            parameters.AddRange(BitConverter.GetBytes(checked((ushort)alphabet.Length)));
            foreach (var k in alphabet) parameters.AddRange(BitConverter.GetBytes(g.Centres[k]));
            var symbols = g.Assignments.Select(a => local[a]).ToArray();
            var tensors = g.Members.Select(i => (arch.Parameters[i].Name, arch.Parameters[i].Shape.Select(d => checked((int)d)).ToArray())).ToList();
            var density = new CategoricalDensity(alphabet.Select(k => (double)counts[k]).ToArray());
            groups.Add(new EntropyModel(density).Encode(g.Name, tensors, symbols, CodebookDecoder, parameters.ToArray()));
        }
        var side = Enumerable.Range(0, arch.Parameters.Count).Where(i => network.GroupOf[i] < 0)
            .Select(i => new SideTensor(arch.Parameters[i].Name, arch.Parameters[i].Shape.Select(d => (int)d).ToArray(), network.Floats[i]!.ToArray()))
            .Concat(Enumerable.Range(0, arch.State.Count)
                .Select(i => new SideTensor(arch.State[i].Name, arch.State[i].Shape.Select(d => (int)d).ToArray(), network.State[i].ToArray(), SideTensorKind.State)))
            .ToList();
        return new CompressedModel { Architecture = arch.Id, Method = Method, Groups = groups, SideTensors = side };
    }

    NetworkValues IMethodDecoder.Decode(CompressedModel model, Architecture architecture, Device? device) => Decode(model, architecture, device);

    /// <summary>The network a compressed model decodes to, on <paramref name="device"/> (the CPU by default).</summary>
    public static NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null)
    {
        var (parameters, state) = DecompressValues(model, architecture);
        return NetworkValues.FromArrays(architecture, parameters, state, device);
    }

    /// <summary>The decoded float32 values of every parameter and state tensor, in architecture order.</summary>
    public static (float[][] Parameters, float[][] State) DecompressValues(CompressedModel model, Architecture architecture)
    {
        static CorruptModelFileException Bad(string problem, string field) => new(problem, -1, field);
        if (model.Method != Method) throw Bad($"the file holds a '{model.Method}' model, not '{Method}'", "method");
        if (model.Architecture != architecture.Id) throw Bad($"the file holds {model.Architecture}, not {architecture.Id}", "architecture");
        if (model.RawPayloads.Count > 0) throw Bad($"{model.RawPayloads.Count} raw payloads; the method stores none", "raw payloads");
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        // 1. names, shapes and kinds against the architecture, before decoding anything
        foreach (var g in model.Groups)
        {
            if (g.Columns != 1) throw Bad($"{g.Columns} columns; the method codes one", $"group '{g.Name}' columns");
            if (g.Tables.Count != 1) throw Bad($"{g.Tables.Count} tables; the method stores one", $"group '{g.Name}' tables");
            if (g.DecoderKind != CodebookDecoder) throw Bad($"decoder kind {g.DecoderKind} is not the codebook decoder ({CodebookDecoder})", $"group '{g.Name}' decoder kind");
            if (g.Tensors.Count == 0) throw Bad("a group without tensors", $"group '{g.Name}' tensors");
            foreach (var (name, shape) in g.Tensors)
            {
                string field = $"group '{g.Name}' tensor '{name}'";
                if (!architecture.HasParameter(name)) throw Bad($"{architecture.Id} has no parameter '{name}'", field);
                var spec = architecture.Parameters[architecture.IndexOf(name)];
                if (!shape.Select(d => (long)d).SequenceEqual(spec.Shape)) throw Bad($"stored shape [{string.Join(", ", shape)}], the architecture has {spec}", field);
                if (!claimed.Add(name)) throw Bad($"{name} is stored twice", field);
            }
        }
        SideTensorCheck.Check(model, architecture, claimed);

        // 2. codebooks, then symbols (the count each group must hold comes from the architecture)
        var values = new float[architecture.Parameters.Count][];
        var state = new float[architecture.State.Count][];
        foreach (var g in model.Groups)
        {
            string field = $"group '{g.Name}' decoder parameters";
            var p = g.DecoderParameters;
            if (p.Length < 3) throw Bad($"{p.Length} bytes; at least 3 expected (version, K)", field);
            if (p[0] != Version) throw Bad($"unknown codebook version {p[0]}", field);
            int k = BitConverter.ToUInt16(p, 1);
            if (k < 1) throw Bad("an empty codebook", field);
            if (p.Length != 3 + 4L * k) throw Bad($"{p.Length} bytes for a codebook of {k} centres ({3 + 4L * k} expected)", field);
            var centres = new float[k];
            for (int c = 0; c < k; c++)
            {
                centres[c] = BitConverter.ToSingle(p, 3 + 4 * c);
                if (!float.IsFinite(centres[c])) throw Bad($"centre {c} is not finite", field);
            }
            long expected = g.Tensors.Sum(t => architecture.Parameters[architecture.IndexOf(t.Name)].Count);
            if (expected > int.MaxValue) throw Bad("more than int.MaxValue values in one group", $"group '{g.Name}' tensors");
            var symbols = g.DecodeSymbols((int)expected);
            int at = 0;
            foreach (var (name, _) in g.Tensors)
            {
                int i = architecture.IndexOf(name);
                var v = new float[architecture.Parameters[i].Count];
                for (int e = 0; e < v.Length; e++)
                {
                    int s = symbols[at + e];
                    if ((uint)s >= (uint)k) throw Bad($"symbol {s} outside the codebook of {k} centres", $"group '{g.Name}' bitstream");
                    v[e] = centres[s];
                }
                at += v.Length;
                values[i] = v;
            }
        }
        foreach (var s in model.SideTensors)
        {
            if (architecture.HasParameter(s.Name)) values[architecture.IndexOf(s.Name)] = s.Values.ToArray();
            else state[architecture.StateIndexOf(s.Name)] = s.Values.ToArray();
        }
        return (values, state);
    }
}
