// The MIRACLE file (method id "miracle") and its decoder. Two raw payloads (FORMAT.md, version 2) and the state:
//   "layout": MSB-first bit fields, each integer as a 6-bit width w then w bits (w <= 63):
//       format version (4 bits, = 1) | seed (7-bit width, then the 64-bit two's complement value's low bits)
//       | C_loc, bits per block (5 bits, 1..30) | B, blocks | P, parameters | per parameter: m_p, its variables
//       | L, layers | per layer: sigma_l as float32 bits (32 bits)
//   "indices": B fields of C_loc bits, block b's candidate index k_b (fixed length: the paper's B x C_loc bits);
//   the architecture's state (BatchNorm running statistics), if any, as state side tensors.
// Decoding regenerates the candidates (MiracleCode). Nothing is trusted: the layout's counts are checked against the
// architecture (P, L, 1 <= m_p <= elements, 1 <= B <= N) and the indices payload's length against B x C_loc before
// anything grows with them; every rejection is a CorruptModelFileException naming the payload's byte and field.
using System.Runtime.CompilerServices;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Miracle;

public sealed class MiracleCodec : IMethodDecoder
{
    public const string Method = "miracle";
    public const string LayoutPayload = "layout";
    public const string IndicesPayload = "indices";
    const int FormatVersion = 1;

    public static readonly MiracleCodec Instance = new();

#pragma warning disable CA2255 // the package's own method registers its decoder when the library loads
    [ModuleInitializer]
    internal static void Register() => CompressionMethods.Register(Instance);
#pragma warning restore CA2255

    public string Id => Method;
    public string DisplayName => "MIRACLE";

    /// <summary>The file's model: the layout and indices payloads, and the network's state (may be empty).</summary>
    public static CompressedModel Compress(MiracleCode code, Architecture architecture, IReadOnlyList<float[]> state)
    {
        if (code.Indices.Length != code.BlockCount) throw new ArgumentException($"{code.BlockCount} blocks, {code.Indices.Length} indices");
        var w = new BitWriter();
        w.Write(FormatVersion, 4);
        int seedBits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)code.Seed);
        w.Write((ulong)seedBits, 7);
        w.Write((ulong)code.Seed, seedBits);
        w.Write((ulong)code.BitsPerBlock, 5);
        w.Integer((ulong)code.BlockCount);
        w.Integer((ulong)code.VariableCounts.Length);
        foreach (var m in code.VariableCounts) w.Integer((ulong)m);
        w.Integer((ulong)code.PriorStds.Length);
        foreach (var s in code.PriorStds) w.Write(BitConverter.SingleToUInt32Bits(s), 32);
        var layout = w.ToPayload(LayoutPayload);
        var indices = RawPayload.FromFields(IndicesPayload, code.Indices, code.BitsPerBlock);
        var sides = state.Select((values, i) => new SideTensor(architecture.State[i].Name, architecture.State[i].Shape.Select(d => checked((int)d)).ToArray(),
            values, SideTensorKind.State)).ToList();
        return new CompressedModel { Architecture = architecture.Id, Method = Method, SideTensors = sides, RawPayloads = [layout, indices] };
    }

    NetworkValues IMethodDecoder.Decode(CompressedModel model, Architecture architecture, Device? device) => Decode(model, architecture, device);

    /// <summary>The network a MIRACLE model decodes to, float32 on <paramref name="device"/> (the CPU by default).</summary>
    public static NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null)
    {
        var (code, state) = Read(model, architecture);
        var parameters = code.Parameters(architecture);
        return NetworkValues.FromArrays(architecture, parameters, state, device);
    }

    /// <summary>The code and the state a model holds, every declared size checked against the architecture.</summary>
    public static (MiracleCode Code, float[][] State) Read(CompressedModel model, Architecture architecture)
    {
        static CorruptModelFileException Bad(string problem, string field, long offset = -1) => new(problem, offset, field);
        if (model.Method != Method) throw Bad($"not a MIRACLE model (method '{model.Method}')", "method");
        if (model.Architecture != architecture.Id) throw Bad($"the model is for '{model.Architecture}', not '{architecture.Id}'", "architecture");
        if (model.Groups.Count != 0) throw Bad($"{model.Groups.Count} coded groups; a MIRACLE file has none", "groups");
        var layoutPayload = model.RawPayloads.FirstOrDefault(p => p.Name == LayoutPayload) ?? throw Bad("no layout payload", $"raw payload '{LayoutPayload}'");
        var indicesPayload = model.RawPayloads.FirstOrDefault(p => p.Name == IndicesPayload) ?? throw Bad("no indices payload", $"raw payload '{IndicesPayload}'");
        if (model.RawPayloads.Count != 2) throw Bad($"{model.RawPayloads.Count} raw payloads, expected '{LayoutPayload}' and '{IndicesPayload}'", "raw payloads");

        // 1. the layout, each count against the architecture as it is read
        var r = new BitReader(layoutPayload);
        if (r.Read(4, "format version") is var version && version != FormatVersion) throw r.Bad($"layout version {version}, this decoder reads {FormatVersion}", "format version");
        int seedBits = (int)r.Read(7, "seed width");
        if (seedBits > 64) throw r.Bad($"a {seedBits}-bit seed", "seed width");
        long seed = (long)r.Read(seedBits, "seed");
        int bits = (int)r.Read(5, "bits per block");
        if (bits is < 1 or > MiracleCode.MaxBitsPerBlock) throw r.Bad($"{bits} bits per block (1..{MiracleCode.MaxBitsPerBlock})", "bits per block");
        ulong blocks = r.Integer("block count");
        ulong parameterCount = r.Integer("parameter count");
        if (parameterCount != (ulong)architecture.Parameters.Count) throw r.Bad($"{parameterCount} parameters, {architecture.Id} has {architecture.Parameters.Count}", "parameter count");
        var counts = new long[architecture.Parameters.Count];
        long variables = 0;
        for (int p = 0; p < counts.Length; p++)
        {
            var spec = architecture.Parameters[p];
            ulong m = r.Integer($"variables of {spec.Name}");
            if (m < 1 || m > (ulong)spec.Count) throw r.Bad($"{m} variables for {spec.Name}'s {spec.Count} elements", $"variables of {spec.Name}");
            counts[p] = (long)m;
            variables += counts[p];
        }
        if (blocks < 1 || blocks > (ulong)variables) throw r.Bad($"{blocks} blocks for {variables} variables", "block count");
        int layers = architecture.Parameters.Select(s => s.Layer).Distinct().Count();
        ulong layerCount = r.Integer("layer count");
        if (layerCount != (ulong)layers) throw r.Bad($"{layerCount} layers, {architecture.Id} has {layers}", "layer count");
        var stds = new float[layers];
        for (int l = 0; l < layers; l++)
        {
            float s = BitConverter.UInt32BitsToSingle((uint)r.Read(32, $"prior std {l}"));
            if (!(float.IsFinite(s) && s > 0)) throw r.Bad($"prior std {s} (a positive finite number)", $"prior std {l}");
            stds[l] = s;
        }
        r.End();

        // 2. the indices: exactly B fields of C_loc bits (checked before the fields are allocated)
        if (indicesPayload.BitLength != (long)blocks * bits)
            throw Bad($"{indicesPayload.BitLength} bits, the layout declares {blocks} blocks of {bits} bits", $"raw payload '{IndicesPayload}'", indicesPayload.FileOffset);
        var indices = indicesPayload.ReadFields(bits, (int)blocks);

        // 3. the state, exactly the architecture's
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        SideTensorCheck.Check(model, architecture, claimed, stateOnly: true);
        var state = new float[architecture.State.Count][];
        foreach (var side in model.SideTensors) state[architecture.StateIndexOf(side.Name)] = side.Values;
        return (new MiracleCode(seed, bits, (int)blocks, counts, stds, indices), state);
    }

    /// <summary>MSB-first bit fields into a raw payload.</summary>
    sealed class BitWriter
    {
        readonly List<byte> bytes = [];
        long bits;

        public void Write(ulong value, int width)
        {
            if (width < 64 && value >> width != 0) throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {width} bits");
            for (int b = width - 1; b >= 0; b--, bits++)
            {
                if ((bits & 7) == 0) bytes.Add(0);
                if ((value >> b & 1) != 0) bytes[^1] |= (byte)(0x80 >> (int)(bits & 7));
            }
        }

        /// <summary>A 6-bit width w, then the value in w bits.</summary>
        public void Integer(ulong value)
        {
            int width = 64 - System.Numerics.BitOperations.LeadingZeroCount(value);
            if (width > 63) throw new ArgumentOutOfRangeException(nameof(value), value, "at most 63 bits");
            Write((ulong)width, 6);
            Write(value, width);
        }

        public RawPayload ToPayload(string name) => new(name, bits, bytes.ToArray());
    }

    /// <summary>Reads MSB-first bit fields of a raw payload; running past its end is a CorruptModelFileException.</summary>
    sealed class BitReader(RawPayload payload)
    {
        long at;

        public CorruptModelFileException Bad(string problem, string field) =>
            new(problem, payload.FileOffset + (at >> 3), $"raw payload '{payload.Name}' {field}");

        public ulong Read(int width, string field)
        {
            if (at + width > payload.BitLength) throw Bad($"the payload ends after {payload.BitLength} bits", field);
            ulong value = 0;
            for (int b = 0; b < width; b++, at++) value = value << 1 | (uint)(payload.Bytes[at >> 3] >> (7 - (int)(at & 7)) & 1);
            return value;
        }

        public ulong Integer(string field) => Read((int)Read(6, field + " width"), field);

        public void End()
        {
            if (at != payload.BitLength) throw Bad($"{payload.BitLength - at} bits left over", "end");
        }
    }
}
