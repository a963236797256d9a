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
        return PostProcessing.Quantize(arch, parameters, prior.State(), biasesInPrior);
    }

    [Theory]
    [InlineData(GroupLayout.Model, TableSource.Empirical, true)]
    [InlineData(GroupLayout.Tensor, TableSource.Empirical, true)]
    [InlineData(GroupLayout.Layer, TableSource.Mixture, true)]
    [InlineData(GroupLayout.Tensor, TableSource.Mixture, false)]
    public void CompressDecompressIsBitExact(GroupLayout layout, TableSource tables, bool biasesInPrior)
    {
        var q = Quantized(biasesInPrior);
        var arch = q.Architecture;
        Assert.True(q.NonzeroFraction() is > 0.05 and < 0.95, $"test network should mix zeros and non-zeros ({q.NonzeroFraction():P1})");
        var model = SwsCodec.Compress(q, layout, tables);
        var bytes = CompressedModelFile.ToBytes(model);
        var read = CompressedModelFile.FromBytes(bytes);
        var values = SwsCodec.DecompressValues(read, arch);
        for (int i = 0; i < arch.Parameters.Count; i++)
        {
            var expected = q.Values(i);
            Assert.Equal(expected.Length, values[i].Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[k]), BitConverter.SingleToInt32Bits(values[i][k]));
        }
        var tensors = SwsCodec.Decompress(read, arch);
        Assert.Equal(arch.Parameters.Select(p => p.Shape), tensors.Select(t => t.shape));
        Assert.Equal(biasesInPrior ? 0 : 3, read.SideTensors.Count);
        Assert.Equal(bytes.LongLength, CompressedModelFile.Sizes(read).TotalBytes);
    }

    [Fact]
    public void SmallestCandidateIsChosenAndEntropyCodingBeatsFixedLengthIndices()
    {
        var q = Quantized(true);
        var model = SwsCodec.CompressSmallest(q, out var candidates);
        long bytes = CompressedModelFile.ToBytes(model).LongLength;
        Assert.Equal(6, candidates.Count);
        Assert.Equal(candidates.Min(c => c.Bytes), bytes);
        long symbols = q.Assignments.Sum(a => (long)a!.Length);
        double fixedBits = symbols * Math.Ceiling(Math.Log2(q.Codebook.Length));
        Assert.True(bytes * 8 < fixedBits, $"{bytes} bytes vs {fixedBits / 8} bytes of fixed-length indices");
    }

    [Fact]
    public void RejectsAFileOfAnotherArchitectureOrMethod()
    {
        var model = SwsCodec.Compress(Quantized(true));
        Assert.Throws<InvalidDataException>(() => SwsCodec.DecompressValues(model, new LeNet5Caffe()));
        var other = new CompressedModel { Architecture = model.Architecture, Method = "epr", Groups = model.Groups };
        Assert.Throws<InvalidDataException>(() => SwsCodec.DecompressValues(other, new LeNet300100()));
    }
}
