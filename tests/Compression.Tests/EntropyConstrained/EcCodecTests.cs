// The entropy-constrained file: encode then decode is bit-exact (biases coded or kept as float32), the coded size is
// close to the entropy of the assignments, and a decoder that never trusts its input rejects files whose content
// disagrees with the architecture or with itself.
using Compression.EntropyConstrained;
using Compression.Format;
using Compression.Methods;
using Compression.Models;

namespace Compression.Tests.EntropyConstrained;

public class EcCodecTests
{
    /// <summary>A LeNet300-100 made hard with skewed, seeded assignments (about 10% non-zero) and irregular centres.</summary>
    internal static HardAssignment Sample(bool codeBiases, ulong seed = 5)
    {
        var arch = new LeNet300100();
        var g = new Randomness.SplitMix64(seed);
        var groups = new List<HardGroup>();
        foreach (var (name, members) in CodebookGroup.Plan(arch, codeBiases))
        {
            int k = 5 + (int)(g.Next() % 8);
            var centres = new float[k];
            for (int c = 1; c < k; c++) centres[c] = (float)((c % 2 == 0 ? 1 : -1) * (0.01 + 0.3 * g.NextDouble()));
            long n = members.Sum(i => arch.Parameters[i].Count);
            var a = new int[n];
            for (long i = 0; i < n; i++) a[i] = g.NextDouble() < 0.9 ? 0 : 1 + (int)(g.Next() % (ulong)(k - 2)); // the last centre unused
            groups.Add(new HardGroup(name, members, centres, a));
        }
        var floats = arch.Parameters.Select(p => p.Role == ParameterRole.Weight || codeBiases ? null
            : Enumerable.Range(0, (int)p.Count).Select(_ => (float)g.NextDouble() - 0.5f).ToArray()).ToList();
        return new HardAssignment(arch, groups, floats, []);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EncodeThenDecodeIsBitExact(bool codeBiases)
    {
        var q = Sample(codeBiases);
        var arch = q.Architecture;
        var bytes = CompressedModelFile.ToBytes(EcCodec.Compress(q));
        var read = CompressedModelFile.FromBytes(bytes);
        Assert.Equal("ec", read.Method);
        Assert.Equal(codeBiases ? 4 : 3, read.Groups.Count);
        Assert.Equal(codeBiases ? 0 : 3, read.SideTensors.Count);
        using var decoded = CompressionMethods.Decode(read, arch); // through the registry
        using var expected = q.Network();
        Assert.True(expected.BitwiseEquals(decoded, out var difference), difference);
        for (int i = 0; i < arch.Parameters.Count; i++)
            Assert.Equal(q.Values(i).Select(BitConverter.SingleToInt32Bits), decoded.ParameterFloats(i).Select(BitConverter.SingleToInt32Bits));
        // the unused centre is not stored: K in the file is the number of centres used
        foreach (var (group, hard) in read.Groups.Zip(q.Groups))
            Assert.Equal(hard.Counts().Count(c => c > 0), BitConverter.ToUInt16(group.DecoderParameters, 1));
    }

    [Fact]
    public void AGroupPrunedEntirelyCostsAlmostNothingAndDecodes()
    {
        var q = Sample(true);
        var fc3 = q.Groups[2];
        var pruned = new HardAssignment(q.Architecture, q.Groups.Select(g => g == fc3 ? g with { Assignments = new int[g.Assignments.Length] } : g).ToList(), q.Floats, q.State);
        var model = EcCodec.Compress(pruned);
        Assert.True(model.Groups[2].Bitstream.Length <= 1, $"{model.Groups[2].Bitstream.Length} bitstream bytes for 1,000 zeros");
        using var decoded = EcCodec.Decode(CompressedModelFile.FromBytes(CompressedModelFile.ToBytes(model)), q.Architecture);
        using var expected = pruned.Network();
        Assert.True(expected.BitwiseEquals(decoded, out var difference), difference);
        Assert.All(decoded.ParameterFloats(q.Architecture.IndexOf("fc3.weight")), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void CodedSizeIsCloseToTheEntropyOfTheAssignments()
    {
        var q = Sample(true);
        var model = EcCodec.Compress(q);
        long bitstream = model.Groups.Sum(g => (long)g.Bitstream.Length);
        double entropyBytes = q.EntropyBits() / 8;
        Assert.True(bitstream >= entropyBytes * 0.999, $"{bitstream} B below the entropy {entropyBytes:F0} B");
        Assert.True(bitstream <= entropyBytes * 1.01 + 8 * model.Groups.Count, $"{bitstream} B, entropy {entropyBytes:F0} B");
        long n = q.Groups.Sum(g => (long)g.Assignments.Length);
        Assert.True(bitstream * 8 < n * 0.8, "entropy coding should beat one bit a weight at 90% zeros");
    }

    [Fact]
    public void SameNetworkGivesTheSameBytes()
    {
        Assert.Equal(CompressedModelFile.ToBytes(EcCodec.Compress(Sample(true))), CompressedModelFile.ToBytes(EcCodec.Compress(Sample(true))));
        Assert.NotEqual(CompressedModelFile.ToBytes(EcCodec.Compress(Sample(true))), CompressedModelFile.ToBytes(EcCodec.Compress(Sample(true, seed: 6))));
    }

    static CodedGroup With(CodedGroup g, byte[]? parameters = null, byte? kind = null, IReadOnlyList<(string, int[])>? tensors = null) => new()
    {
        Name = g.Name, Columns = g.Columns, Tables = g.Tables, Bitstream = g.Bitstream,
        Tensors = tensors ?? g.Tensors, DecoderKind = kind ?? g.DecoderKind, DecoderParameters = parameters ?? g.DecoderParameters,
    };

    static CodedGroup Renamed(CodedGroup g, string name) => new()
    {
        Name = name, Columns = g.Columns, Tables = g.Tables, Bitstream = g.Bitstream, Tensors = g.Tensors, DecoderKind = g.DecoderKind, DecoderParameters = g.DecoderParameters,
    };

    static CompressedModel Replace(CompressedModel m, int group, CodedGroup replacement) => new()
    {
        Architecture = m.Architecture, Method = m.Method, SideTensors = m.SideTensors,
        Groups = m.Groups.Select((g, i) => i == group ? replacement : g).ToList(),
    };

    public static TheoryData<string> Corruptions => new() { "k-too-small", "k-zero", "length", "version", "kind", "nan-centre", "shape", "unknown-tensor", "missing", "twice", "method", "architecture", "side-shape" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptContentIsRejected(string corruption)
    {
        var q = Sample(false);
        var arch = q.Architecture;
        var good = EcCodec.Compress(q);
        var g0 = good.Groups[0];
        var p = g0.DecoderParameters;
        CompressedModel bad = corruption switch
        {
            // a codebook shorter than the symbols the stream holds
            "k-too-small" => Replace(good, 0, With(g0, parameters: [1, 2, 0, .. p.AsSpan(3, 8).ToArray()])),
            "k-zero" => Replace(good, 0, With(g0, parameters: [1, 0, 0])),
            "length" => Replace(good, 0, With(g0, parameters: [.. p, 0])),
            "version" => Replace(good, 0, With(g0, parameters: [2, .. p.AsSpan(1).ToArray()])),
            "kind" => Replace(good, 0, With(g0, kind: 2)),
            "nan-centre" => Replace(good, 0, With(g0, parameters: [.. p.AsSpan(0, 7).ToArray(), .. BitConverter.GetBytes(float.NaN), .. p.AsSpan(11).ToArray()])),
            "shape" => Replace(good, 0, With(g0, tensors: [("fc1.weight", [784, 300])])),
            "unknown-tensor" => Replace(good, 0, With(g0, tensors: [("fc9.weight", [300, 784])])),
            "missing" => new CompressedModel { Architecture = good.Architecture, Method = good.Method, Groups = good.Groups.Skip(1).ToList(), SideTensors = good.SideTensors },
            "twice" => new CompressedModel { Architecture = good.Architecture, Method = good.Method, Groups = [.. good.Groups, Renamed(g0, "again")], SideTensors = good.SideTensors },
            "method" => new CompressedModel { Architecture = good.Architecture, Method = "sws", Groups = good.Groups, SideTensors = good.SideTensors },
            "architecture" => new CompressedModel { Architecture = "lenet5-caffe", Method = good.Method, Groups = good.Groups, SideTensors = good.SideTensors },
            "side-shape" => new CompressedModel { Architecture = good.Architecture, Method = good.Method, Groups = good.Groups,
                SideTensors = [new SideTensor("fc1.bias", [299], new float[299]), .. good.SideTensors.Skip(1)] },
            _ => throw new ArgumentException(corruption),
        };
        // through the file where the container accepts it (its checksum is right): the method's decoder must not. The
        // container itself refuses duplicate tensor names; the decoder is also checked on the model in memory.
        var read = corruption == "twice" ? bad : CompressedModelFile.FromBytes(CompressedModelFile.ToBytes(bad));
        var e = Assert.Throws<CorruptModelFileException>(() => EcCodec.Decode(read, arch));
        Assert.False(string.IsNullOrEmpty(e.Field));
    }
}
