// EPR's groups for the vision networks (sections 3.2 and 3.3) cover every parameter exactly once, give 3x3 kernels
// l = 9 with the chosen transform, keep biases and BN shifts as float32; and every network compresses into a file
// that decodes to the trained (here: freshly initialised) values bit for bit, for SQ, DFT and random orthogonal.
using Compression.Epr;
using Compression.Format;
using Compression.Grouping;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Tests.Vision;

public class VisionGroupsTests
{
    static string Groups(Architecture a, TransformKind t = TransformKind.Dft) =>
        string.Join(" | ", EprVisionGroups.For(a, t).For(a).Groups.Select(g => $"{g.Name} l={g.Columns} {g.Transform} x{g.Members.Count}"));

    [Fact]
    public void PaperGroupsPerNetwork()
    {
        Assert.Equal("conv l=9 Dft x13 | classifier.0 l=1 Identity x1 | classifier.3 l=1 Identity x1 | classifier.6 l=1 Identity x1", Groups(new Vgg16Cifar()));
        Assert.Equal("conv l=9 Identity x19 | fc l=1 Identity x1", Groups(new ResNetCifar(20, 4), TransformKind.Identity));
        Assert.Equal("conv1 l=1 Identity x1 | conv3x3 l=9 RandomOrthogonal x16 | conv1x1 l=1 Identity x3 | fc l=1 Identity x1",
            Groups(ResNetImageNet.ResNet18(), TransformKind.RandomOrthogonal));
        Assert.Equal("conv1 l=1 Identity x1 | conv1x1 l=1 Identity x36 | conv3x3 l=9 Dft x16 | fc l=1 Identity x1", Groups(ResNetImageNet.ResNet50()));
    }

    public static TheoryData<string> Ids() => new() { "vgg16-cifar", "resnet20-4", "resnet18", "resnet50" };

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryParameterOnceBiasesAsFloat32(string id)
    {
        var a = Architectures.Create(id);
        var plan = EprVisionGroups.For(a).For(a);
        var placed = plan.Groups.SelectMany(g => g.Members).Concat(plan.Float32).ToList();
        Assert.Equal(a.Parameters.Select(p => p.Name).Order(), placed.Order());
        Assert.Equal(a.Parameters.Where(p => p.IsBiasLike).Select(p => p.Name), plan.Float32);
        Assert.All(plan.Groups, g => Assert.All(g.Members, m => Assert.Equal(ParameterRole.Weight, a.Parameters[a.IndexOf(m)].Role)));
    }

    [Fact]
    public void UnknownArchitecturesAreRefusedWithAHint() =>
        Assert.Contains("GroupingRules.Default", Assert.Throws<ArgumentException>(() => EprVisionGroups.For(new LeNet5Caffe())).Message);

    public static TheoryData<string, TransformKind> RoundTrips() => new()
    {
        { "vgg16-cifar", TransformKind.Dft }, { "resnet20-4", TransformKind.Identity }, { "resnet20-4", TransformKind.RandomOrthogonal },
        { "resnet18", TransformKind.Dft }, { "resnet50", TransformKind.Dft },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void CompressThenDecompressIsBitExact(string id, TransformKind transform)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var a = Architectures.Create(id);
        using var initial = a.NewNetwork();
        using (no_grad())
            foreach (var s in initial.State) s.add_(rand_like(s));        // running statistics that are not the initial ones
        using var network = ReparameterizedNetwork.Create(EprVisionGroups.For(a, transform).For(a), initial, new LatentInitialization(StepsPerRms: 2));
        var model = EprCodec.Compress(network);
        var bytes = model.ToBytes();
        using var decoded = EprCodec.Decode(CompressedModel.FromBytes(bytes), a);
        using var expected = EprCodec.ExpectedValues(network);
        Assert.True(decoded.BitwiseEquals(expected, out var first), $"{id}: {first} differs after decoding");
        var sizes = SizeBreakdown.Of(CompressedModel.FromBytes(bytes));
        Assert.Equal(bytes.Length, sizes.TotalBytes);
        // The float32 biases are in the file and counted; the running statistics are there too but not paper-comparable.
        long biasBytes = 4 * a.Parameters.Where(p => p.IsBiasLike).Sum(p => p.Count);
        long stateBytes = 4 * a.State.Sum(s => s.Count);
        Assert.True(sizes.PaperComparableBytes >= biasBytes && sizes.PaperComparableBytes <= bytes.Length - stateBytes,
            $"paper-comparable {sizes.PaperComparableBytes} B: biases {biasBytes} B, state {stateBytes} B, file {bytes.Length} B");
    }
}
