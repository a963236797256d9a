// Coding a post-processed network with the package's range coder and container. Every quantised tensor
// becomes a sequence of component indices; a group of tensors shares one table. Per group:
//   - the local alphabet: the components its tensors use, in codebook order (the zero component first
//     when present); symbols are positions in it;
//   - one CdfTable (columns = 1) from the empirical symbol frequencies, or from the merged mixture's
//     proportions;
//   - optionally, per weight matrix (a convolution as out-channels x the rest), masks of its non-empty rows
//     and columns: only elements in a non-empty row and a non-empty column are coded, the others are the
//     zero component. Pruning empties whole rows and columns (dead units, unused input pixels), and
//     not coding them is cheaper than coding their zeros.
// CompressSmallest tries every group layout, table source and masking and keeps the smallest file.
//
// DecoderParameters of a group (DecoderKind 1), little-endian:
//   byte version (1); ushort K; K float32 means (symbol s decodes to mean s);
//   per tensor of the group, in order: byte masked (0/1); if 1: ceil(rows/8) bytes of row mask, then
//   ceil(columns/8) bytes of column mask (bit i of byte i/8 = line i non-empty), rows = shape[0] of the
//   architecture's tensor, columns = its element count / rows.
// A masked tensor is stored in the group with shape [coded elements]; the architecture gives its real shape.
// Tensors outside the prior (biases when BiasesInPrior is false) are float32 side tensors.
using System.Runtime.CompilerServices;
using Compression.Coding;
using Compression.Format;
using Compression.Methods;
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

public sealed record CodingCandidate(GroupLayout Layout, TableSource Tables, bool Masks, long Bytes);

public sealed class SwsCodec : IMethodDecoder
{
    public const string Method = "sws";

    public static readonly SwsCodec Instance = new();

#pragma warning disable CA2255 // the package's own method registers its decoder when the library loads
    [ModuleInitializer]
    internal static void Register() => CompressionMethods.Register(Instance);
#pragma warning restore CA2255

    public string Id => Method;
    public string DisplayName => "Soft weight-sharing";

    /// <summary>DecoderKind of soft weight-sharing groups (layout in the file comment).</summary>
    public const byte CodebookDecoder = 1;

    const byte Version = 1;

    public static CompressedModel Compress(QuantizedNetwork network, GroupLayout layout = GroupLayout.Tensor,
        TableSource tables = TableSource.Empirical, bool masks = false)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the file format stores little-endian values");
        var arch = network.Architecture;
        var groups = new List<CodedGroup>();
        foreach (var (name, members) in Groups(network, layout))
        {
            var alphabet = members.SelectMany(i => network.Assignments[i]!).Distinct().Order().ToArray();
            var local = new int[network.Codebook.Length];
            for (int k = 0; k < alphabet.Length; k++) local[alphabet[k]] = k;
            var parameters = new List<byte> { Version };
            parameters.AddRange(BitConverter.GetBytes(checked((ushort)alphabet.Length)));
            foreach (var c in alphabet) parameters.AddRange(BitConverter.GetBytes(network.Codebook[c]));
            var symbols = new List<int>();
            var tensors = new List<(string Name, int[] Shape)>();
            foreach (var i in members)
            {
                var spec = arch.Parameters[i];
                var a = network.Assignments[i]!;
                var keep = masks && spec.Shape.Length >= 2 ? Lines(a, spec) : null;
                parameters.Add(keep == null ? (byte)0 : (byte)1);
                if (keep == null)
                {
                    symbols.AddRange(a.Select(s => local[s]));
                    tensors.Add((spec.Name, spec.Shape.Select(d => (int)d).ToArray()));
                    continue;
                }
                var (rowsKept, columnsKept) = keep.Value;
                parameters.AddRange(Pack(rowsKept));
                parameters.AddRange(Pack(columnsKept));
                int columns = columnsKept.Length, before = symbols.Count;
                for (int r = 0; r < rowsKept.Length; r++)
                    if (rowsKept[r])
                        for (int c = 0; c < columns; c++)
                            if (columnsKept[c]) symbols.Add(local[a[r * columns + c]]);
                tensors.Add((spec.Name, [symbols.Count - before]));
            }
            var pmf = new double[alphabet.Length];
            if (tables == TableSource.Empirical) foreach (var s in symbols) pmf[s]++;
            else for (int k = 0; k < alphabet.Length; k++) pmf[k] = network.Mixture.Proportions[alphabet[k]];
            // a group whose masks remove every element still needs a table; give it a uniform one
            if (pmf.Sum() == 0) Array.Fill(pmf, 1.0);
            var table = CdfTable.FromPmf(pmf, 0, 0);
            groups.Add(CodedGroup.Encode(name, 1, tensors, symbols.ToArray(), [table], CodebookDecoder, parameters.ToArray()));
        }
        var side = Enumerable.Range(0, arch.Parameters.Count).Where(i => network.Assignments[i] == null)
            .Select(i => new SideTensor(arch.Parameters[i].Name, arch.Parameters[i].Shape.Select(d => (int)d).ToArray(), network.Floats[i]!.ToArray()))
            .Concat(Enumerable.Range(0, arch.State.Count)
                .Select(i => new SideTensor(arch.State[i].Name, arch.State[i].Shape.Select(d => (int)d).ToArray(), network.State[i].ToArray(), SideTensorKind.State)))
            .ToList();
        return new CompressedModel { Architecture = arch.Id, Method = Method, Groups = groups, SideTensors = side };
    }

    /// <summary>Every layout, table source and masking; returns the model whose file is smallest and all candidates' file lengths.</summary>
    public static CompressedModel CompressSmallest(QuantizedNetwork network, out IReadOnlyList<CodingCandidate> candidates)
    {
        var list = new List<CodingCandidate>();
        CompressedModel? best = null;
        long bestBytes = long.MaxValue;
        foreach (var layout in Enum.GetValues<GroupLayout>())
            foreach (var source in Enum.GetValues<TableSource>())
                foreach (var masks in new[] { false, true })
                {
                    var model = Compress(network, layout, source, masks);
                    long bytes = CompressedModelFile.ToBytes(model).LongLength;
                    list.Add(new CodingCandidate(layout, source, masks, bytes));
                    if (bytes < bestBytes) { bestBytes = bytes; best = model; }
                }
        candidates = list;
        return best!;
    }

    NetworkValues IMethodDecoder.Decode(CompressedModel model, Architecture architecture, Device? device) => Decode(model, architecture, device);

    /// <summary>The network a compressed model decodes to, on <paramref name="device"/> (the CPU by default).</summary>
    public static NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null)
    {
        var (parameters, state) = DecompressValues(model, architecture);
        return NetworkValues.FromArrays(architecture, parameters, state, device);
    }

    /// <summary>
    /// The decoded values of every parameter and state tensor as float32 arrays, in architecture order. Every declared
    /// size is checked against the architecture before any symbol is decoded; anything unexpected is a
    /// <see cref="CorruptModelFileException"/>.
    /// </summary>
    public static (float[][] Parameters, float[][] State) DecompressValues(CompressedModel model, Architecture architecture)
    {
        static CorruptModelFileException Bad(string problem, string field, long offset = -1) => new(problem, offset, field);
        if (model.Method != Method) throw Bad($"the file holds a '{model.Method}' model, not '{Method}'", "method");
        if (model.Architecture != architecture.Id) throw Bad($"the file holds {model.Architecture}, not {architecture.Id}", "architecture");
        var values = new float[architecture.Parameters.Count][];
        var state = new float[architecture.State.Count][];
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        // 1. sizes against the architecture, before decoding anything
        foreach (var g in model.Groups)
        {
            // one table per group: a file declaring more columns (and tables) is not a soft weight-sharing file
            if (g.Columns != 1) throw Bad($"{g.Columns} columns; soft weight-sharing groups have 1", $"group '{g.Name}' columns", g.TensorsOffset);
            foreach (var (name, shape) in g.Tensors)
            {
                string field = $"group '{g.Name}' tensor '{name}'";
                if (!architecture.HasParameter(name)) throw Bad($"{architecture.Id} has no parameter '{name}'", field, g.TensorsOffset);
                var spec = architecture.Parameters[architecture.IndexOf(name)];
                long count = shape.Aggregate(1L, (a, b) => a * b);
                bool exact = shape.Select(d => (long)d).SequenceEqual(spec.Shape);
                if (!exact && !(shape.Length == 1 && count <= spec.Count)) throw Bad($"stored shape [{string.Join(", ", shape)}], the architecture has {spec}", field, g.TensorsOffset);
                if (!claimed.Add(name)) throw Bad($"{name} is stored twice", field, g.TensorsOffset);
            }
        }
        SideTensorCheck.Check(model, architecture, claimed);

        // 2. decode
        foreach (var g in model.Groups)
        {
            string field = $"group '{g.Name}' decoder parameters";
            if (g.DecoderKind != CodebookDecoder) throw Bad($"decoder kind {g.DecoderKind} is not the codebook decoder ({CodebookDecoder})", $"group '{g.Name}' decoder kind");
            var reader = new ParameterReader(g.Name, g.DecoderParameters, g.DecoderParametersOffset);
            if (reader.Byte() is var version && version != Version) throw Bad($"unknown codebook decoder version {version}", field, reader.Offset - 1);
            var means = new float[reader.UInt16()];
            for (int k = 0; k < means.Length; k++) means[k] = reader.Float();
            // every tensor's declared count was checked against the architecture above: the sum bounds the work
            var symbols = g.DecodeSymbols((int)g.Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)));
            int at = 0;
            foreach (var (name, shape) in g.Tensors)
            {
                int i = architecture.IndexOf(name);
                var spec = architecture.Parameters[i];
                long count = shape.Aggregate(1L, (a, b) => a * b);
                float Mean(int s) => (uint)s < (uint)means.Length ? means[s] : throw Bad($"symbol {s} outside its codebook of {means.Length}", $"group '{g.Name}' bitstream", g.BitstreamOffset);
                var v = new float[spec.Count];
                long maskedAt = reader.Offset;
                byte masked = reader.Byte();
                if (masked > 1) throw Bad($"{name}: mask flag {masked}, not 0 or 1", field, maskedAt);
                if (masked == 0)
                {
                    if (!shape.Select(d => (long)d).SequenceEqual(spec.Shape)) throw Bad($"{name}: stored shape [{string.Join(", ", shape)}], the architecture has {spec}", field, maskedAt);
                    for (int k = 0; k < v.Length; k++) v[k] = Mean(symbols[at + k]);
                }
                else
                {
                    if (spec.Shape.Length == 0) throw Bad($"{name}: a scalar has no rows to mask", field, maskedAt);
                    int rows = (int)spec.Shape[0], columns = (int)(spec.Count / rows);
                    var rowsKept = reader.Bits(rows);
                    var columnsKept = reader.Bits(columns);
                    long coded = (long)rowsKept.Count(b => b) * columnsKept.Count(b => b);
                    if (shape.Length != 1 || coded != count) throw Bad($"{name}: masks keep {coded} elements, the group stores [{string.Join(", ", shape)}]", field, maskedAt);
                    int k = 0;
                    for (int r = 0; r < rows; r++)
                        if (rowsKept[r])
                            for (int c = 0; c < columns; c++)
                                if (columnsKept[c]) v[r * columns + c] = Mean(symbols[at + k++]);
                }
                at += (int)count;
                values[i] = v;
            }
            reader.End();
        }
        foreach (var s in model.SideTensors)
        {
            if (architecture.HasParameter(s.Name)) values[architecture.IndexOf(s.Name)] = s.Values.ToArray();
            else state[architecture.StateIndexOf(s.Name)] = s.Values.ToArray();
        }
        return (values, state);
    }

    /// <summary>Rows and columns of a tensor (as out x rest) holding a non-zero symbol, or null when every line does.</summary>
    static (bool[] Rows, bool[] Columns)? Lines(int[] a, ParameterSpec spec)
    {
        int rows = (int)spec.Shape[0], columns = (int)(spec.Count / rows);
        var r = new bool[rows];
        var c = new bool[columns];
        for (int i = 0; i < a.Length; i++)
            if (a[i] != 0) { r[i / columns] = true; c[i % columns] = true; }
        return r.All(x => x) && c.All(x => x) ? null : (r, c);
    }

    static byte[] Pack(bool[] bits)
    {
        var bytes = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++) if (bits[i]) bytes[i / 8] |= (byte)(1 << (i % 8));
        return bytes;
    }

    /// <summary>Reads a group's decoder parameters; errors carry the file offset of the byte concerned.</summary>
    sealed class ParameterReader(string group, byte[] bytes, long fileOffset)
    {
        int at;

        /// <summary>The file offset of the next byte.</summary>
        public long Offset => fileOffset + at;

        ReadOnlySpan<byte> Take(int n)
        {
            if (at + n > bytes.Length) throw new CorruptModelFileException($"decoder parameters end early ({bytes.Length} bytes)", Offset, $"group '{group}' decoder parameters");
            var span = bytes.AsSpan(at, n);
            at += n;
            return span;
        }

        public byte Byte() => Take(1)[0];
        public ushort UInt16() => BitConverter.ToUInt16(Take(2));
        public float Float() => BitConverter.ToSingle(Take(4));

        public bool[] Bits(int n)
        {
            var packed = Take((n + 7) / 8);
            var bits = new bool[n];
            for (int i = 0; i < n; i++) bits[i] = (packed[i / 8] >> (i % 8) & 1) != 0;
            return bits;
        }

        public void End()
        {
            if (at != bytes.Length) throw new CorruptModelFileException($"{bytes.Length - at} unread bytes of decoder parameters", Offset, $"group '{group}' decoder parameters");
        }
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
                var biases = coded.Where(i => arch.Parameters[i].Role != ParameterRole.Weight).ToList();
                if (biases.Count > 0) yield return ("biases", biases);
                break;
            case GroupLayout.Layer:
                foreach (var layer in coded.Select(i => arch.Parameters[i].Layer).Distinct())
                    yield return (layer, coded.Where(i => arch.Parameters[i].Layer == layer).ToList());
                break;
        }
    }
}
