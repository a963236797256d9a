// The MIRACLE file: a code written and read back is the same code and decodes to the same network bit for bit; the
// size table holds the paper's count (B x C_loc bits) as the indices payload; damaged files (mutations with the
// checksum recomputed, truncations, declared sizes the architecture or the payload cannot hold) are rejected with
// CorruptModelFileException, never another exception, within the fuzz harness's limits.
using Compression.Format;
using Compression.Miracle;
using Compression.Models;
using Compression.Tests.Fuzzing;
using Compression.Tests.OpenCore;

namespace Compression.Tests.Miracle;

public class MiracleCodecTests
{
    static (MiracleCode Code, Architecture Arch) RandomCode(int seed, int bits = 12)
    {
        var arch = new RandomMlp(seed);
        var random = new Random(seed);
        var hashing = HashingLayout.FromShrinkFactors(arch, seed, new Dictionary<string, double> { ["in.weight"] = 4 + random.Next(30) });
        int blocks = BlockLayout.BlocksFor(hashing.VariableCount, 20 + random.Next(20));
        var indices = Enumerable.Range(0, blocks).Select(_ => (ulong)random.Next(1 << bits)).ToArray();
        var stds = hashing.Layers.Select(_ => (float)(0.01 + random.NextDouble())).ToArray();
        return (new MiracleCode(seed * 1_000_003L, bits, blocks, hashing.VariableCounts, stds, indices), arch);
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 20)]
    [InlineData(3, 1)]
    public void ACodeWrittenAndReadBackDecodesToTheSameNetworkBitForBit(int seed, int bits)
    {
        var (code, arch) = RandomCode(seed, bits);
        var model = MiracleCodec.Compress(code, arch, []);
        var bytes = model.ToBytes();
        var (read, state) = MiracleCodec.Read(CompressedModel.FromBytes(bytes), arch);
        Assert.Empty(state);
        Assert.Equal(code.Seed, read.Seed);
        Assert.Equal(code.BitsPerBlock, read.BitsPerBlock);
        Assert.Equal(code.BlockCount, read.BlockCount);
        Assert.Equal(code.VariableCounts, read.VariableCounts);
        Assert.Equal(code.PriorStds, read.PriorStds);
        Assert.Equal(code.Indices, read.Indices);

        using var decoded = MiracleCodec.Decode(CompressedModel.FromBytes(bytes), arch);
        var expected = code.Parameters(arch);
        for (int p = 0; p < expected.Length; p++) Assert.True(decoded.ParameterFloats(p).AsSpan().SequenceEqual(expected[p]), arch.Parameters[p].Name);
        // every decoded variable is a scaled candidate: block 0's first variable is sigma * z_(k_0, 0)
        var hashing = code.Hashing(arch);
        var blocks = code.Blocks(hashing);
        var z = new float[1];
        CandidateGenerator.Fill(code.Seed, (long)code.Indices[0], z);
        int first = blocks.Variables(0)[0];
        Assert.Equal(code.PriorStds[hashing.LayerOfVariable()[first]] * z[0], code.Variables(hashing, blocks)[first]);

        // the size table: the indices payload is the paper's B x C_loc bits, rounded up to bytes
        var sizes = SizeBreakdown.Of(model);
        Assert.Equal(bytes.Length, sizes.TotalBytes);
        Assert.Equal((long)Math.Ceiling(code.PaperCountedBytes), sizes.Bytes(SizePart.RawPayload, MiracleCodec.IndicesPayload));
    }

    [Fact]
    public void DeclaredSizesTheArchitectureOrPayloadCannotHoldAreRejected()
    {
        var (code, arch) = RandomCode(4);
        void Rejects(MiracleCode bad, string field)
        {
            var e = Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(CompressedModel.FromBytes(MiracleCodec.Compress(bad, arch, []).ToBytes()), arch));
            Assert.Contains(field, e.Field);
            Assert.True(e.Offset > 0, $"offset {e.Offset}");
        }
        Rejects(code with { VariableCounts = code.VariableCounts.Select((m, i) => i == 0 ? arch.Parameters[0].Count + 1 : m).ToArray() }, "variables of in.weight");
        Rejects(code with { BlockCount = (int)code.VariableCounts.Sum() + 1, Indices = new ulong[code.VariableCounts.Sum() + 1] }, "block count");
        Rejects(code with { PriorStds = code.PriorStds.Select((s, i) => i == 1 ? float.NaN : s).ToArray() }, "prior std 1");
        Rejects(code with { PriorStds = code.PriorStds.Select((s, i) => i == 1 ? -1f : s).ToArray() }, "prior std 1");
        Rejects(code with { PriorStds = code.PriorStds.Take(2).ToArray() }, "layer count");
        Rejects(code with { VariableCounts = code.VariableCounts.Take(5).ToArray() }, "parameter count");

        // an indices payload of another length than the layout's B x C_loc
        var good = MiracleCodec.Compress(code, arch, []);
        var shortIndices = RawPayload.FromFields(MiracleCodec.IndicesPayload, code.Indices.Skip(1).ToArray(), code.BitsPerBlock);
        var bad = new CompressedModel { Architecture = arch.Id, Method = MiracleCodec.Method, RawPayloads = [good.RawPayloads[0], shortIndices] };
        var e = Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(CompressedModel.FromBytes(bad.ToBytes()), arch));
        Assert.Contains("indices", e.Field);
        Assert.True(e.Offset > 0);
        // another architecture, a missing payload, or a state tensor the network does not have
        Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(good, new RandomMlp(5)));
        Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(new CompressedModel { Architecture = arch.Id, Method = MiracleCodec.Method, RawPayloads = [good.RawPayloads[0]] }, arch));
        Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(new CompressedModel
        {
            Architecture = arch.Id, Method = MiracleCodec.Method, RawPayloads = good.RawPayloads,
            SideTensors = [new SideTensor("bn.running_mean", [3], new float[3], SideTensorKind.State)],
        }, arch));
        // a layout cut short (every truncation point of its bits)
        var layout = good.RawPayloads[0];
        for (long cut = 0; cut < layout.BitLength; cut += 7)
        {
            var bytes = layout.Bytes.Take((int)RawPayload.ByteCount(cut)).ToArray();
            if (bytes.Length > 0 && (cut & 7) != 0) bytes[^1] &= (byte)(0xFF << (int)(8 - (cut & 7)));
            var truncated = new CompressedModel { Architecture = arch.Id, Method = MiracleCodec.Method, RawPayloads = [new RawPayload(MiracleCodec.LayoutPayload, cut, bytes), good.RawPayloads[1]] };
            Assert.Throws<CorruptModelFileException>(() => MiracleCodec.Decode(CompressedModel.FromBytes(truncated.ToBytes()), arch));
        }
    }

    [Fact]
    public void MutatedFilesDecodeOrAreRejectedWithinLimits()
    {
        var seeds = new List<byte[]>();
        var arches = new Dictionary<string, Architecture>();
        foreach (int s in new[] { 1, 2, 6 })
        {
            var (code, arch) = RandomCode(s, 8 + s);
            arches[arch.Id] = arch;
            seeds.Add(MiracleCodec.Compress(code, arch, []).ToBytes());
        }
        object? Decode(byte[] file)
        {
            var model = CompressedModel.FromBytes(file);
            if (!arches.TryGetValue(model.Architecture, out var arch)) throw new CorruptModelFileException("unknown architecture", -1, "architecture");
            using var values = Compression.Methods.CompressionMethods.Decode(model, arch);
            return null;
        }
        var harness = new FuzzHarness(Decode, FuzzTests.InputLimits);
        var report = harness.Run(seeds, seed: 13, inputs: 3000, wallLimit: TimeSpan.FromSeconds(20));
        Assert.True(report.Inputs >= 300, $"only {report.Inputs} inputs ran");
        Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
        Assert.True(report.Outcomes[FuzzOutcome.RejectedByDecoder] > 0, report.Describe());
        Assert.True(report.Outcomes[FuzzOutcome.Decoded] > 0, report.Describe());
    }
}
