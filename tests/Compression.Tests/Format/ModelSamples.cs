// Compressed models for the container tests: a small LeNet-like one and random ones, plus a helper that
// re-seals a mutated file with a valid checksum so the parser behind the checksum gets exercised.
using System.Buffers.Binary;
using Compression.Coding;
using Compression.Format;
using Compression.Tests.Coding;

namespace Compression.Tests.Format;

static class ModelSamples
{
    /// <summary>Two coded groups (l = 1 over two tensors, l = 3 over one) and a side tensor of biases.</summary>
    public static CompressedModel Small(int seed = 1)
    {
        var rng = new Random(seed);
        var dense = CdfTable.FromPmf(Samples.Laplace(6, 0.8), 1e-3, -6, 12);
        (string, int[])[] denseTensors = [("fc1.weight", [8, 5]), ("fc2.weight", [3, 8])];
        var denseGroup = CodedGroup.Encode("dense", 1, denseTensors, Samples.Draw(dense, 64, rng), [dense],
            decoderKind: 1, decoderParameters: [0x00, 0x3C, 0x00, 0x00]);
        CdfTable[] convTables = [.. Enumerable.Range(0, 3).Select(c => CdfTable.FromPmf(Samples.Gaussian(4, 1 + c), 1e-2, -4, 10))];
        var convGroup = CodedGroup.Encode("conv", 3, [("conv1.weight", [2, 1, 3, 3])], Samples.DrawColumns(convTables, 6, rng), convTables,
            decoderKind: 2, decoderParameters: [1, 2, 3]);
        return new CompressedModel
        {
            Architecture = "lenet-test",
            Method = "epr",
            Groups = [denseGroup, convGroup],
            SideTensors = [new SideTensor("fc1.bias", [5], [0.5f, -1f, float.Epsilon, float.NaN, float.MaxValue])],
        };
    }

    /// <summary>
    /// A random model: 0-4 groups of random columns, tensors and tables; 0-3 side tensors; with
    /// <paramref name="version2"/>, side tensors of either kind and 0-3 raw payloads.
    /// </summary>
    public static CompressedModel Random(Random rng, bool version2 = false)
    {
        var groups = new List<CodedGroup>();
        int tensorId = 0;
        for (int g = rng.Next(5); g > 0; g--)
        {
            int columns = rng.Next(1, 5);
            var tables = Enumerable.Range(0, columns).Select(_ => Samples.RandomTable(rng, 40)).ToArray();
            var tensors = new List<(string, int[])>();
            for (int t = rng.Next(0, 3); t > 0; t--)
                tensors.Add(($"t{tensorId++}.weight", [rng.Next(0, 6), columns]));
            int count = tensors.Sum(t => t.Item2[0] * t.Item2[1]);
            var symbols = Samples.DrawColumns(tables, count / columns, rng);
            var parameters = new byte[rng.Next(0, 12)];
            rng.NextBytes(parameters);
            groups.Add(CodedGroup.Encode($"group-{g}", columns, tensors, symbols, tables, (byte)rng.Next(256), parameters));
        }
        var sides = new List<SideTensor>();
        for (int s = rng.Next(4); s > 0; s--)
        {
            int[] shape = rng.Next(3) switch { 0 => [], 1 => [rng.Next(0, 10)], _ => [rng.Next(1, 4), rng.Next(1, 4)] };
            var values = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            var kind = version2 && rng.Next(2) == 0 ? SideTensorKind.State : SideTensorKind.Parameter;
            sides.Add(new SideTensor($"side{s}.bias", shape, values, kind));
        }
        var payloads = new List<RawPayload>();
        for (int p = version2 ? rng.Next(4) : 0; p > 0; p--)
        {
            int bits = rng.Next(1, 17);
            var fields = Enumerable.Range(0, rng.Next(0, 30)).Select(_ => (ulong)rng.NextInt64(1L << bits)).ToArray();
            payloads.Add(RawPayload.FromFields($"raw{p}", fields, bits));
        }
        return new CompressedModel
        {
            Architecture = "arch-" + rng.Next(100), Method = rng.Next(2) == 0 ? "epr" : "sws", Groups = groups, SideTensors = sides, RawPayloads = payloads,
        };
    }

    /// <summary>Overwrites the last four bytes with the CRC-32 of the rest.</summary>
    public static byte[] Reseal(byte[] file)
    {
        if (file.Length >= 4) BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    public static void AssertSame(CompressedModel expected, CompressedModel actual)
    {
        Assert.Equal(expected.Architecture, actual.Architecture);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Groups.Count, actual.Groups.Count);
        for (int g = 0; g < expected.Groups.Count; g++)
        {
            var e = expected.Groups[g];
            var a = actual.Groups[g];
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Columns, a.Columns);
            Assert.Equal(e.Tensors.Select(t => t.Name), a.Tensors.Select(t => t.Name));
            Assert.Equal(e.Tensors.Select(t => t.Shape), a.Tensors.Select(t => t.Shape));
            Assert.Equal(e.DecoderKind, a.DecoderKind);
            Assert.Equal(e.DecoderParameters, a.DecoderParameters);
            Assert.Equal(e.Tables, a.Tables);
            Assert.Equal(e.Bitstream, a.Bitstream);
            Assert.Equal(e.SymbolCount, a.SymbolCount);
            Assert.Equal(e.DecodeSymbols(), a.DecodeSymbols());
        }
        Assert.Equal(expected.SideTensors.Count, actual.SideTensors.Count);
        for (int s = 0; s < expected.SideTensors.Count; s++)
        {
            Assert.Equal(expected.SideTensors[s].Name, actual.SideTensors[s].Name);
            Assert.Equal(expected.SideTensors[s].Shape, actual.SideTensors[s].Shape);
            Assert.Equal(expected.SideTensors[s].Kind, actual.SideTensors[s].Kind);
            // Bit patterns, so NaN payloads count too.
            Assert.Equal(expected.SideTensors[s].Values.Select(BitConverter.SingleToInt32Bits), actual.SideTensors[s].Values.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(expected.RawPayloads.Count, actual.RawPayloads.Count);
        for (int p = 0; p < expected.RawPayloads.Count; p++)
        {
            Assert.Equal(expected.RawPayloads[p].Name, actual.RawPayloads[p].Name);
            Assert.Equal(expected.RawPayloads[p].BitLength, actual.RawPayloads[p].BitLength);
            Assert.Equal(expected.RawPayloads[p].Bytes, actual.RawPayloads[p].Bytes);
        }
    }
}
