// Compression of a reparameterized network: the file decodes to exactly the parameters training used,
// for scalar and transform decoders, and the table range leaves lone outliers to the escape code.
using Compression.Coding;
using Compression.Epr;
using Compression.Format;
using Compression.Grouping;
using Compression.Models;
using Compression.Probability;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class EprCompressionTests
{
    static ReparameterizedNetwork Network(Architecture architecture, GroupingRules rules, int seed)
    {
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var initial = architecture.NewNetwork();
        var network = ReparameterizedNetwork.Create(rules.For(architecture), initial, new LatentInitialization(StepsPerRms: 1.5));
        using var no = no_grad();
        // Shrink most latents towards zero so the tables look like trained ones, and plant an outlier.
        foreach (var g in network.Groups)
            foreach (var l in g.Latents) l.mul_((rand_like(l) < 0.8).to(float32) * 0.2 + 0.05);
        network.Groups[0].Latents[0].view(-1)[0] = tensor(37.2f);
        return network;
    }

    static bool SameBits(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    static void AssertRoundTrip(ReparameterizedNetwork network)
    {
        using var scope = NewDisposeScope();
        var model = EprCodec.Compress(network);
        var read = CompressedModel.FromBytes(model.ToBytes());
        using var decoded = EprCodec.Decode(read, network.Architecture);
        IReadOnlyList<Tensor> training;
        using (no_grad()) training = network.DecodeParameters(quantize: true);
        using var expected = EprCodec.ExpectedValues(network);
        Assert.True(decoded.BitwiseEquals(expected, out var first), $"{first}: decoded differs from the frozen decoding");
        for (int i = 0; i < decoded.Parameters.Count; i++)
            Assert.True(SameBits(decoded.Parameters[i], training[i].detach()), $"{network.Architecture.Parameters[i].Name}: decoded differs from what training computed");
    }

    [Fact]
    public void LeNet300RoundTripsBitForBit() => AssertRoundTrip(Network(new LeNet300100(), GroupingRules.EprMnist(), 1));

    [Fact]
    public void LeNet5RoundTripsBitForBit() => AssertRoundTrip(Network(new LeNet5Caffe(), GroupingRules.EprMnist(), 2));

    [Theory]
    [InlineData(TransformKind.Dft)]
    [InlineData(TransformKind.RandomOrthogonal)]
    public void KernelTransformGroupsRoundTripBitForBit(TransformKind kind)
    {
        var architecture = new LeNet5Caffe();
        using var network = Network(architecture, GroupingRules.EprMnistWithKernels(5, kind, seed: 5), 3);
        Assert.Equal(25, network.Groups[0].Columns);
        AssertRoundTrip(network);
    }

    [Fact]
    public void PaperGroupsOfTheLeNetsAreThoseOfSection3()
    {
        string Groups(Architecture a) => string.Join(" | ", GroupingRules.EprMnist().For(a).Groups.Select(g => $"{g.Name}: {string.Join(",", g.Members)}"));
        Assert.Equal("hidden: fc1.weight,fc2.weight | classifier: fc3.weight | biases: fc1.bias,fc2.bias,fc3.bias", Groups(new LeNet300100()));
        Assert.Equal("conv: conv1.weight,conv2.weight | hidden: fc1.weight | classifier: fc2.weight | biases: conv1.bias,conv2.bias,fc1.bias,fc2.bias",
            Groups(new LeNet5Caffe()));
    }

    [Fact]
    public void LoneOutlierIsEscapedRatherThanWideningTheTable()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var density = new DeepFactorizedDensity(1);
        var values = new int[5000];
        var random = new Random(1);
        for (int i = 0; i < values.Length; i++) values[i] = random.Next(-2, 3);
        values[17] = 60;
        var table = new EntropyModel(density).Tables(values)[0];
        Assert.True(table.Length <= 5, $"table covers {table.Length} values");
        Assert.False(table.Contains(60));
        var full = CdfTable.FromPmf(PmfTabulation.Tabulate(density, 0, -2, 60).Pmf, PmfTabulation.Tabulate(density, 0, -2, 60).TailMass, -2);
        double Cost(CdfTable t) => 8.0 * t.SerializedSize + SelfInformation.Bits(values, 1, [t]);
        Assert.True(Cost(table) < Cost(full));
        var decoded = SymbolCoder.Decode(SymbolCoder.Encode(values, 1, [table]), values.Length, 1, [table]);
        Assert.Equal(values, decoded);
    }
}
