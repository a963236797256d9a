// Compress -> file bytes -> decompress reproduces the post-processed network bit for bit, for every group
// layout and table source, with biases coded or kept as side tensors.
using Compression.Format;
using Compression.Models;
using Compression.SoftWeightSharing;
using static TorchSharp.torch;

namespace Compression.Tests.SoftWeightSharing;

public class SwsCodecTests
{
    static QuantizedNetwork Quantized(bool biasesInPrior, int seed = 3)
    {
        var arch = new LeNet300100();
        TorchSharp.torch.manual_seed(seed);
        var parameters = arch.Initialize().Select(t => t * 3).ToList(); // spread the weights over the components
        using var prior = GaussianMixturePrior.Create(new MixturePriorSettings { ZeroProportion = 0.9, InitialStd = 0.03 });
        return PostProcessing.Quantize(new NetworkValues(arch, parameters, []), prior.State(), biasesInPrior);
    }

    /// <summary>Empties rows 3 and 7 and columns 0..99 of fc1, and column 5 of fc2.</summary>
    static QuantizedNetwork WithEmptyLines(QuantizedNetwork q)
    {
        var fc1 = q.Assignments[0]!;
        for (int c = 0; c < 784; c++) { fc1[3 * 784 + c] = 0; fc1[7 * 784 + c] = 0; }
        for (int r = 0; r < 300; r++) for (int c = 0; c < 100; c++) fc1[r * 784 + c] = 0;
        var fc2 = q.Assignments[2]!;
        for (int r = 0; r < 100; r++) fc2[r * 300 + 5] = 0;
        return q;
    }

    [Theory]
    [InlineData(GroupLayout.Model, TableSource.Empirical, true, false)]
    [InlineData(GroupLayout.Tensor, TableSource.Empirical, true, true)]
    [InlineData(GroupLayout.Layer, TableSource.Mixture, true, true)]
    [InlineData(GroupLayout.Model, TableSource.Empirical, true, true)]
    [InlineData(GroupLayout.Tensor, TableSource.Mixture, false, false)]
    [InlineData(GroupLayout.Tensor, TableSource.Empirical, false, true)]
    public void CompressDecompressIsBitExact(GroupLayout layout, TableSource tables, bool biasesInPrior, bool masks)
    {
        var q = WithEmptyLines(Quantized(biasesInPrior));
        var arch = q.Architecture;
        Assert.True(q.NonzeroFraction() is > 0.05 and < 0.95, $"test network should mix zeros and non-zeros ({q.NonzeroFraction():P1})");
        var model = SwsCodec.Compress(q, layout, tables, masks);
        var bytes = CompressedModelFile.ToBytes(model);
        var read = CompressedModelFile.FromBytes(bytes);
        var (values, state) = SwsCodec.DecompressValues(read, arch);
        Assert.Empty(state);
        for (int i = 0; i < arch.Parameters.Count; i++)
        {
            var expected = q.Values(i);
            Assert.Equal(expected.Length, values[i].Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[k]), BitConverter.SingleToInt32Bits(values[i][k]));
        }
        using var decoded = SwsCodec.Decode(read, arch);
        Assert.Equal(arch.Parameters.Select(p => p.Shape), decoded.Parameters.Select(t => t.shape));
        Assert.Equal(biasesInPrior ? 0 : 3, read.SideTensors.Count);
        Assert.Equal(bytes.LongLength, CompressedModelFile.Sizes(read).TotalBytes);
    }

    [Fact]
    public void SmallestCandidateIsChosenAndEntropyCodingBeatsFixedLengthIndices()
    {
        var q = Quantized(true);
        var model = SwsCodec.CompressSmallest(q, out var candidates);
        long bytes = CompressedModelFile.ToBytes(model).LongLength;
        Assert.Equal(12, candidates.Count);
        Assert.Equal(candidates.Min(c => c.Bytes), bytes);
        long symbols = q.Assignments.Sum(a => (long)a!.Length);
        double fixedBits = symbols * Math.Ceiling(Math.Log2(q.Codebook.Length));
        Assert.True(bytes * 8 < fixedBits, $"{bytes} bytes vs {fixedBits / 8} bytes of fixed-length indices");
    }

    [Fact]
    public void MasksSkipEmptyRowsAndColumns()
    {
        var q = WithEmptyLines(Quantized(true));
        var plain = SwsCodec.Compress(q, GroupLayout.Tensor, TableSource.Empirical, masks: false);
        var masked = SwsCodec.Compress(q, GroupLayout.Tensor, TableSource.Empirical, masks: true);
        var fc1 = masked.Groups.Single(g => g.Name == "fc1.weight");
        Assert.Equal(298 * 684, fc1.SymbolCount);
        int k = BitConverter.ToUInt16(fc1.DecoderParameters, 1);
        Assert.Equal(1 + 2 + 4 * k + 1 + 38 + 98, fc1.DecoderParameters.Length); // version, K, means, masked flag, 300 + 784 mask bits
        Assert.True(CompressedModelFile.ToBytes(masked).Length < CompressedModelFile.ToBytes(plain).Length);
        // fc3 has no empty line: stored unmasked, in its own shape
        var fc3 = masked.Groups.Single(g => g.Name == "fc3.weight");
        Assert.Equal([10, 100], fc3.Tensors.Single().Shape);
    }

    [Fact]
    public void RejectsAFileOfAnotherArchitectureOrMethod()
    {
        var model = SwsCodec.Compress(Quantized(true));
        Assert.Throws<CorruptModelFileException>(() => SwsCodec.DecompressValues(model, new LeNet5Caffe()));
        var other = new CompressedModel { Architecture = model.Architecture, Method = "epr", Groups = model.Groups };
        Assert.Throws<CorruptModelFileException>(() => SwsCodec.DecompressValues(other, new LeNet300100()));
    }
}
