// The CIFAR ResNets of He et al. 2016 ("Deep residual learning", section 4.2) with the width multiplier of Zagoruyko &
// Komodakis 2016: a 3x3 convolution to 16k channels, three stages of n basic blocks (two 3x3 convolutions each) at
// 16k, 32k and 64k channels (the first block of stages 2 and 3 strides by 2), global average pooling, one dense
// layer to the 10 classes. Depth = 6n + 2; EPR's ResNet-20-4 is n = 3, k = 4 (widths 64/128/256).
// Shortcuts are He et al.'s option A for CIFAR: identity, and where the shape changes, the input subsampled by 2 and
// zero-padded to the new width (no parameters). This matches EPR's "biases ... add up to about 11 KB": 2,752 BN
// shifts + 10 classifier biases = 11,048 bytes (1x1 projections would add 384 more shifts).
// Parameters of ResNet-20-4: 4,277,952 convolution weights + 2,752 BN shifts + 2,570 classifier weights and biases =
// 4,283,274 (17,133,096 bytes; Table 1 says 17.2 MB, 0.4% more, which no shortcut variant matches exactly: 1x1
// projection shortcuts would give 4,324,618 parameters, 17.3 MB).
// EPR's convention: no convolution bias and no BN gamma (fixed to 1); BN shifts are the biases (NormShift);
// running statistics are State. Names follow torchvision's ResNets (conv1, bn1, layer<s>.<b>.conv1/bn1/conv2/bn2, fc).
// The graph is a residual one, so no UnitLinks are declared.
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class ResNetCifar : Architecture
{
#pragma warning disable CA2255 // registers the package's own architectures when the library loads
    [ModuleInitializer]
    internal static void Register()
    {
        Architectures.Register("resnet20-4", () => new ResNetCifar(20, 4));
        Architectures.Register("resnet20-1", () => new ResNetCifar(20, 1));
    }
#pragma warning restore CA2255

    sealed record Block(string Prefix, int Stride, int Inputs, int Outputs);

    readonly List<Block> blocks = [];

    /// <param name="depth">6n + 2 (20, 32, 44, 56, 110, ...).</param>
    /// <param name="widthFactor">k: stage widths 16k, 32k, 64k.</param>
    public ResNetCifar(int depth = 20, int widthFactor = 4)
    {
        if (depth < 8 || (depth - 2) % 6 != 0) throw new ArgumentOutOfRangeException(nameof(depth), $"depth {depth} is not 6n + 2");
        if (widthFactor < 1) throw new ArgumentOutOfRangeException(nameof(widthFactor));
        Depth = depth;
        WidthFactor = widthFactor;
        int n = (depth - 2) / 6;
        var parameters = new List<ParameterSpec>();
        var state = new List<StateSpec>();
        void ConvolutionWithNorm(string conv, string norm, int outputs, int inputs)
        {
            parameters.Add(ParameterSpec.ConvolutionWeight(conv, outputs, inputs, 3));
            parameters.Add(ParameterSpec.NormShift(norm, outputs));
            state.AddRange(StateSpec.BatchNorm(norm, outputs));
        }
        int width = 16 * widthFactor;
        ConvolutionWithNorm("conv1", "bn1", width, 3);
        int inputs = width;
        for (int stage = 0; stage < 3; stage++)
        {
            int outputs = width << stage;
            for (int b = 0; b < n; b++)
            {
                var block = new Block($"layer{stage + 1}.{b}", stage > 0 && b == 0 ? 2 : 1, inputs, outputs);
                ConvolutionWithNorm($"{block.Prefix}.conv1", $"{block.Prefix}.bn1", outputs, inputs);
                ConvolutionWithNorm($"{block.Prefix}.conv2", $"{block.Prefix}.bn2", outputs, outputs);
                blocks.Add(block);
                inputs = outputs;
            }
        }
        parameters.Add(ParameterSpec.DenseWeight("fc", 10, inputs));
        parameters.Add(ParameterSpec.Bias("fc", 10, LayerKind.Dense));
        Parameters = parameters;
        State = state;
    }

    public int Depth { get; }
    public int WidthFactor { get; }

    public override string Id => $"resnet{Depth}-{WidthFactor}";
    public override string DisplayName => $"ResNet-{Depth}-{WidthFactor}";

    public override IReadOnlyList<ParameterSpec> Parameters { get; }
    public override IReadOnlyList<StateSpec> State { get; }

    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false)
    {
        var x = F.relu(Layers.BatchNorm(F.conv2d(images, v["conv1.weight"], padding: [1, 1]), v, "bn1", training));
        foreach (var b in blocks)
        {
            var y = F.relu(Layers.BatchNorm(F.conv2d(x, v[$"{b.Prefix}.conv1.weight"], strides: [b.Stride, b.Stride], padding: [1, 1]), v, $"{b.Prefix}.bn1", training));
            y = Layers.BatchNorm(F.conv2d(y, v[$"{b.Prefix}.conv2.weight"], padding: [1, 1]), v, $"{b.Prefix}.bn2", training);
            x = F.relu(y + Shortcut(x, b));
        }
        x = F.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
        return F.linear(x, v["fc.weight"], v["fc.bias"]);
    }

    /// <summary>Option A: the input itself, or subsampled by the stride and zero-padded (half the new channels on each side).</summary>
    static Tensor Shortcut(Tensor x, Block b)
    {
        if (b.Stride == 1 && b.Inputs == b.Outputs) return x;
        var s = b.Stride == 1 ? x : x[.., .., TensorIndex.Slice(null, null, b.Stride), TensorIndex.Slice(null, null, b.Stride)];
        int extra = b.Outputs - b.Inputs;
        return extra == 0 ? s : F.pad(s, [0, 0, 0, 0, extra / 2, extra - extra / 2]);
    }
}
