// Grouping by rules: every parameter lands in exactly one group or float32, overrides come first, and anything left
// over or placed twice is an error that names it.
using Compression.Grouping;
using Compression.Models;

namespace Compression.Tests.OpenCore;

public class GroupingRulesTests
{
    static IEnumerable<string> Placed(GroupPlan plan) => plan.Groups.SelectMany(g => g.Members).Concat(plan.Float32);

    [Fact]
    public void EveryParameterOfEveryNetworkIsPlacedExactlyOnce()
    {
        foreach (var a in new Architecture[] { new LeNet300100(), new LeNet5Caffe(), new RandomMlp(3), new RandomCnn(5), new TinyResidualNet() })
        {
            var plan = GroupingRules.Default().For(a);
            Assert.Equal(a.Parameters.Select(p => p.Name).Order(), Placed(plan).Order());
        }
    }

    [Fact]
    public void KernelRulesMakeTransformGroupsAndBiasesCanBeFloat32()
    {
        var plan = new GroupingRules().Kernels(3, TransformKind.Dft, "k3").EachDense().BiasesAsFloat32().For(new TinyResidualNet());
        var k3 = Assert.Single(plan.Groups, g => g.Name == "k3");
        Assert.Equal(["conv1.weight", "conv2.weight"], k3.Members);
        Assert.Equal((DecoderFamily.TransformAffine, TransformKind.Dft, 9), (k3.Decoder, k3.Transform, k3.Columns));
        Assert.Equal(["bn1.bias", "bn2.bias", "fc.bias"], plan.Float32);
        Assert.Equal("fc", Assert.Single(plan.Groups, g => g.Name != "k3").Name);
    }

    [Fact]
    public void NamePatternsOverrideTheRules()
    {
        var plan = GroupingRules.EprMnist().Match("fc2.*", "second").For(new LeNet300100());
        Assert.Equal(["fc2.weight", "fc2.bias"], plan.GroupOf("fc2.weight")!.Members);
        Assert.Equal(["fc1.weight"], plan.GroupOf("fc1.weight")!.Members);
        Assert.Null(GroupingRules.EprMnist().MatchAsFloat32("*.bias").For(new LeNet300100()).GroupOf("fc3.bias"));
    }

    [Fact]
    public void UnplacedParametersAndConflictsAreNamed()
    {
        var unplaced = Assert.Throws<ArgumentException>(() => new GroupingRules().EachDense().For(new LeNet300100()));
        Assert.Contains("fc1.bias", unplaced.Message);
        // a batch-norm gamma: EPR's MNIST rules have no place for it
        var gamma = Assert.Throws<ArgumentException>(() => GroupingRules.EprMnist().For(new WithGamma()));
        Assert.Contains("bn.weight", gamma.Message);
        Assert.Equal(["bn.weight"], GroupingRules.EprMnist().NormScalesAsFloat32().For(new WithGamma()).Float32);
        // one group name given two decoders
        var conflict = Assert.Throws<ArgumentException>(() => new GroupingRules().Match("conv1.weight", "g").Kernels(5, TransformKind.Dft, "g")
            .EachRemaining().Biases("b").For(new LeNet5Caffe()));
        Assert.Contains("'g'", conflict.Message);
    }

    sealed class WithGamma : Architecture
    {
        public override string Id => "with-gamma";
        public override IReadOnlyList<ParameterSpec> Parameters { get; } =
            [ParameterSpec.DenseWeight("fc", 10, 784), ParameterSpec.NormScale("bn", 10), ParameterSpec.NormShift("bn", 10)];
        public override TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor x, NetworkValues v, bool training = false) => throw new NotSupportedException();
    }

    [Fact]
    public void PlansCheckTheirGroupsAgainstTheArchitecture()
    {
        var a = new LeNet300100();
        Assert.Contains("fc1.weight", Assert.Throws<ArgumentException>(() =>
            new GroupPlan(a, [GroupSpec.Scalar("x", "fc1.weight"), GroupSpec.Scalar("y", "fc1.weight")], ["fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])).Message);
        Assert.Contains("fc3.bias", Assert.Throws<ArgumentException>(() =>
            new GroupPlan(a, [GroupSpec.Scalar("x", "fc1.weight", "fc2.weight", "fc3.weight")], ["fc1.bias", "fc2.bias"])).Message);
        Assert.Contains("nosuch", Assert.Throws<ArgumentException>(() => new GroupPlan(a, [GroupSpec.Scalar("x", "nosuch")], [])).Message);
        Assert.Contains("rows of l = 9", Assert.Throws<ArgumentException>(() =>
            new GroupPlan(a, [new GroupSpec("x", ["fc3.weight"], DecoderFamily.TransformAffine, TransformKind.Dft, 9)],
                ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.bias"])).Message);
    }
}
