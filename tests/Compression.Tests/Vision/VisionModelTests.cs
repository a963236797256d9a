// The CIFAR-10 and ImageNet networks of EPR's Table 1: parameter counts against their references (torchvision's counts
// for the ImageNet ResNets, which include the BN gammas EPR fixes to 1; MIRACLE's for VGG-16; He et al.'s option-A
// ResNet-20 times 16 for ResNet-20-4), PyTorch names, forward and backward on small inputs, batch-norm statistics.
using Compression.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.Vision;

public class VisionModelTests
{
    static long NormChannels(Architecture a) => a.Parameters.Where(p => p.Role == ParameterRole.NormShift).Sum(p => p.Count);

    [Fact]
    public void Vgg16HasMiraclesCountAndTable1sSize()
    {
        var vgg = new Vgg16Cifar();
        Assert.Equal(15_245_130, vgg.ParameterCount);                 // "conv + FC 512-512-10"
        Assert.Equal(13, vgg.Parameters.Count(p => p.Kind == LayerKind.Convolution));
        Assert.Equal(3, vgg.Parameters.Count(p => p.Kind == LayerKind.Dense && p.Role == ParameterRole.Weight));
        Assert.Equal(14_710_464, vgg.Parameters.Where(p => p.Kind == LayerKind.Convolution).Sum(p => p.Count));
        Assert.Equal(61.0, vgg.UncompressedBytes / 1e6, 0);            // Table 1: "60 MB"
        Assert.Equal(5_258 * 4, vgg.Parameters.Where(p => p.IsBiasLike).Sum(p => p.Count) * 4);   // "about 20 KB" of biases
        Assert.DoesNotContain(vgg.Parameters, p => p.Role == ParameterRole.NormScale);
        Assert.Equal(26, vgg.State.Count);
    }

    [Fact]
    public void ResNet20x4IsSixteenTimesResNet20()
    {
        var r = new ResNetCifar(20, 4);
        Assert.Equal(4_283_274, r.ParameterCount);
        Assert.Equal(17.1, r.UncompressedBytes / 1e6, 1);               // Table 1: 17.2 MB (see ResNetCifar's header)
        Assert.Equal(19, r.Parameters.Count(p => p.Kind == LayerKind.Convolution));
        Assert.Equal(2_762 * 4, r.Parameters.Where(p => p.IsBiasLike).Sum(p => p.Count) * 4);    // "about 11 KB"
        // He et al.'s ResNet-20 (Table 6: 0.27M) with BN gammas and betas, as the common PyTorch port counts it: 269,722.
        var narrow = new ResNetCifar(20, 1);
        Assert.Equal(269_722, narrow.ParameterCount + NormChannels(narrow));
        Assert.Equal(new[] { 64L, 64, 128, 256 }, new[] { "conv1.weight", "layer1.2.conv2.weight", "layer2.0.conv1.weight", "layer3.2.conv2.weight" }
            .Select(n => r.Parameters[r.IndexOf(n)].Shape[0]));
    }

    [Fact]
    public void ImageNetResNetsHaveTorchvisionsCountsLessTheGammas()
    {
        var r18 = ResNetImageNet.ResNet18();
        var r50 = ResNetImageNet.ResNet50();
        Assert.Equal(11_689_512, r18.ParameterCount + NormChannels(r18));   // torchvision.models.resnet18
        Assert.Equal(25_557_032, r50.ParameterCount + NormChannels(r50));   // torchvision.models.resnet50
        Assert.Equal(46.7, r18.UncompressedBytes / 1e6, 1);                // Table 1: 46.7 MB
        Assert.Equal(102.1, r50.UncompressedBytes / 1e6, 1);               // Table 1: 102 MB
        Assert.Equal(3, r18.Parameters.Count(p => p.KernelSide == 1));
        Assert.Equal(4 + 16 * 2, r50.Parameters.Count(p => p.KernelSide == 1));
        Assert.Equal(16, r50.Parameters.Count(p => p.KernelSide == 3));
    }

    [Fact]
    public void NamesAreTorchvisions()
    {
        var r50 = ResNetImageNet.ResNet50();
        foreach (var name in new[] { "conv1.weight", "bn1.bias", "layer1.0.conv3.weight", "layer1.0.downsample.0.weight", "layer1.0.downsample.1.bias",
                                     "layer4.2.bn3.bias", "fc.weight", "fc.bias" })
            Assert.True(r50.HasParameter(name), name);
        Assert.True(r50.HasState("layer3.5.bn2.running_var"));
        Assert.False(r50.HasParameter("bn1.weight"));                    // gamma fixed to 1
        var r18 = ResNetImageNet.ResNet18();
        Assert.Equal(new long[] { 512, 256, 1, 1 }, r18.Parameters[r18.IndexOf("layer4.0.downsample.0.weight")].Shape);
        Assert.False(r18.HasParameter("layer1.0.downsample.0.weight"));
        var vgg = new Vgg16Cifar();
        Assert.Equal(new long[] { 64, 3, 3, 3 }, vgg.Parameters[vgg.IndexOf("features.0.weight")].Shape);
        Assert.Equal(new long[] { 512, 512, 3, 3 }, vgg.Parameters[vgg.IndexOf("features.40.weight")].Shape);   // vgg16_bn's last convolution
        Assert.True(vgg.HasState("features.41.running_mean"));
        Assert.Equal(new long[] { 10, 512 }, vgg.Parameters[vgg.IndexOf("classifier.6.weight")].Shape);
    }

    [Theory]
    [InlineData("vgg16-cifar")]
    [InlineData("vgg16-cifar-narrow8")]
    [InlineData("resnet20-4")]
    [InlineData("resnet20-1")]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void RegisteredUnderTheirIds(string id)
    {
        var a = Architectures.Create(id);
        Assert.Equal(id, a.Id);
        Assert.Empty(a.UnitLinks);
    }

    public static TheoryData<string, int> ForwardCases() => new()
    {
        { "vgg16-cifar", 32 }, { "resnet20-4", 32 }, { "resnet18", 64 }, { "resnet50", 64 },
    };

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void ForwardAndBackwardOnCpu(string id, int side)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var a = Architectures.Create(id);
        using var net = a.NewNetwork();
        foreach (var p in net.Parameters) p.requires_grad_(true);
        var x = randn(2, 3, side, side);
        var labels = tensor(new long[] { 1, 3 });
        var logits = a.Forward(x, net, training: true);
        int classes = a is ResNetImageNet ? 1000 : 10;
        Assert.Equal(new long[] { 2, classes }, logits.shape);
        F.cross_entropy(logits, labels).backward();
        foreach (var (p, spec) in net.Parameters.Zip(a.Parameters))
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{spec.Name}: no gradient reaches it");
        }
        // Training mode moved every running mean away from 0 (momentum 0.1 of a nonzero batch mean).
        foreach (var (s, spec) in net.State.Zip(a.State).Where(t => t.Second.Name.EndsWith("running_mean")))
            Assert.True(s.abs().sum().item<float>() > 0, $"{spec.Name} was not updated");
        using (no_grad())
        {
            var eval = a.Forward(x, net, training: false);
            Assert.True(eval.isfinite().all().item<bool>());
            Assert.True(eval.sub(a.Forward(x, net, training: false)).abs().max().item<float>() == 0, "evaluation mode is deterministic and leaves state alone");
        }
    }

    [Fact]
    public void OptionAShortcutSubsamplesAndZeroPads()
    {
        // A ResNet-20-1 whose blocks' second convolutions are zero passes the stem's output through the shortcuts alone:
        // the logits then equal the classifier applied to the pooled, subsampled stem output, zero-padded 16 -> 64 channels.
        using var scope = NewDisposeScope();
        manual_seed(3);
        var a = new ResNetCifar(20, 1);
        using var net = a.NewNetwork();
        using (no_grad())
        {
            foreach (var spec in a.Parameters.Where(p => p.Name.EndsWith("conv2.weight"))) net[spec.Name].zero_();
            var x = rand(2, 3, 32, 32);
            var stem = F.relu(Layers.BatchNorm(F.conv2d(x, net["conv1.weight"], padding: [1, 1]), net, "bn1", false));
            // Subsampling by 2 twice keeps pixels (0, 4, 8, ...) of each row and column.
            var kept = stem[.., .., TensorIndex.Slice(null, null, 4), TensorIndex.Slice(null, null, 4)];
            var pooled = F.pad(kept.mean([2, 3]), [24, 24]);              // 16 -> 32 -> 64 channels, centred
            var expected = F.linear(pooled, net["fc.weight"], net["fc.bias"]);
            var logits = a.Forward(x, net, training: false);
            Assert.True(logits.sub(expected).abs().max().item<float>() < 1e-5f);
        }
    }
}
