// Compression of a reparameterized network: the file decodes to exactly the parameters training used,
// for scalar and transform decoders, and the table range leaves lone outliers to the escape code.
using Compression.Coding;
using Compression.Epr;
using Compression.Format;
using Compression.Models;
using Compression.Probability;
using Compression.Reparameterization;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class EprCompressionTests
{
    static ReparameterizedNetwork Network(Architecture architecture, IReadOnlyList<GroupSpec> groups, int seed)
    {
        manual_seed(seed);
        using var scope = NewDisposeScope();
        var network = ReparameterizedNetwork.Create(architecture, groups, architecture.Initialize(), new LatentInitialization(StepsPerRms: 1.5));
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
        var model = EprCompressor.Compress(network);
        var read = CompressedModel.FromBytes(model.ToBytes());
        var decoded = EprCompressor.Decompress(read, network.Architecture);
        IReadOnlyList<Tensor> training;
        using (no_grad()) training = network.DecodeParameters(quantize: true);
        var expected = EprCompressor.ExpectedParameters(network);
        for (int i = 0; i < decoded.Count; i++)
        {
            string name = network.Architecture.Parameters[i].Name;
            Assert.True(SameBits(decoded[i], expected[i]), $"{name}: decoded differs from the frozen decoding");
            Assert.True(SameBits(decoded[i], training[i].detach()), $"{name}: decoded differs from what training computed");
        }
    }

    [Fact]
    public void LeNet300RoundTripsBitForBit() => AssertRoundTrip(Network(new LeNet300100(), PaperGroups.For(new LeNet300100()), 1));

    [Fact]
    public void LeNet5RoundTripsBitForBit() => AssertRoundTrip(Network(new LeNet5Caffe(), PaperGroups.For(new LeNet5Caffe()), 2));

    [Theory]
    [InlineData(TransformKind.Dft)]
    [InlineData(TransformKind.RandomOrthogonal)]
    public void KernelTransformGroupsRoundTripBitForBit(TransformKind kind)
    {
        var architecture = new LeNet5Caffe();
        using var network = Network(architecture, PaperGroups.WithKernelTransform(architecture, kind, seed: 5), 3);
        Assert.Equal(25, network.Groups[0].Columns);
        AssertRoundTrip(network);
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
        var table = EprCompressor.TableFor(density, 0, values);
        Assert.True(table.Length <= 5, $"table covers {table.Length} values");
        Assert.False(table.Contains(60));
        var full = CdfTable.FromPmf(PmfTabulation.Tabulate(density, 0, -2, 60).Pmf, PmfTabulation.Tabulate(density, 0, -2, 60).TailMass, -2);
        double Cost(CdfTable t) => 8.0 * t.SerializedSize + SelfInformation.Bits(values, 1, [t]);
        Assert.True(Cost(table) < Cost(full));
        var decoded = SymbolCoder.Decode(SymbolCoder.Encode(values, 1, [table]), values.Length, 1, [table]);
        Assert.Equal(values, decoded);
    }
}
