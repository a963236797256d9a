// The ImageNet ResNets of He et al. 2016 ("Deep residual learning", Table 1) as torchvision builds them: a 7x7/2
// convolution to 64 channels and a 3x3/2 max-pool, four stages at 64, 128, 256, 512 channels (times 4 at the output
// of bottleneck blocks), global average pooling, a dense layer to 1,000 classes. ResNet-18: [2, 2, 2, 2] basic
// blocks (two 3x3 convolutions); ResNet-50: [3, 4, 6, 3] bottlenecks (1x1, 3x3, 1x1). Where a block changes shape, the
// shortcut is a 1x1 convolution with BN (option B). The bottleneck strides in its 3x3 convolution, as torchvision
// does ("ResNet v1.5"); He et al. stride in the first 1x1 (same parameters, slightly more accurate and slower).
// Parameter counts with EPR's convention (no BN gamma, BN shift = bias; torchvision's counts include the gammas):
//   ResNet-18: 11,684,712 (46.7 MB as float32, Table 1's 46.7 MB; torchvision 11,689,512 with 4,800 gammas)
//   ResNet-50: 25,530,472 (102.1 MB, Table 1's 102 MB; torchvision 25,557,032 with 26,560 gammas)
// Convolutions have no bias; running statistics are State. Names are torchvision's exactly (conv1, bn1,
// layer<s>.<b>.conv1/bn1/conv2/bn2[/conv3/bn3], layer<s>.<b>.downsample.0 (1x1 convolution) and .downsample.1 (its BN),
// fc), so a torchvision state_dict maps by name (its bn*.weight gammas aside). Residual graph: no UnitLinks.
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class ResNetImageNet : Architecture
{
    public const int ImageNetClasses = 1000;

#pragma warning disable CA2255 // registers the package's own architectures when the library loads
    [ModuleInitializer]
    internal static void Register()
    {
        Architectures.Register("resnet18", () => ResNet18());
        Architectures.Register("resnet50", () => ResNet50());
    }
#pragma warning restore CA2255

    sealed record Block(string Prefix, int Stride, bool Projection);

    readonly List<Block> blocks = [];

    public static ResNetImageNet ResNet18() => new(18);
    public static ResNetImageNet ResNet50() => new(50);

    /// <param name="depth">18 or 34 (basic blocks), 50, 101 or 152 (bottlenecks).</param>
    public ResNetImageNet(int depth)
    {
        int[] counts = depth switch
        {
            18 => [2, 2, 2, 2],
            34 or 50 => [3, 4, 6, 3],
            101 => [3, 4, 23, 3],
            152 => [3, 8, 36, 3],
            _ => throw new ArgumentOutOfRangeException(nameof(depth), $"ResNet-{depth} is not one of 18, 34, 50, 101, 152"),
        };
        Depth = depth;
        Bottleneck = depth >= 50;
        int expansion = Bottleneck ? 4 : 1;
        var parameters = new List<ParameterSpec>();
        var state = new List<StateSpec>();
        void ConvolutionWithNorm(string conv, string norm, int outputs, int inputs, int kernel)
        {
            parameters.Add(ParameterSpec.ConvolutionWeight(conv, outputs, inputs, kernel));
            parameters.Add(ParameterSpec.NormShift(norm, outputs));
            state.AddRange(StateSpec.BatchNorm(norm, outputs));
        }
        ConvolutionWithNorm("conv1", "bn1", 64, 3, 7);
        int inputs = 64;
        for (int stage = 0; stage < 4; stage++)
        {
            int width = 64 << stage, outputs = width * expansion;
            for (int b = 0; b < counts[stage]; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                var block = new Block($"layer{stage + 1}.{b}", stride, stride != 1 || inputs != outputs);
                string p = block.Prefix;
                if (Bottleneck)
                {
                    ConvolutionWithNorm($"{p}.conv1", $"{p}.bn1", width, inputs, 1);
                    ConvolutionWithNorm($"{p}.conv2", $"{p}.bn2", width, width, 3);
                    ConvolutionWithNorm($"{p}.conv3", $"{p}.bn3", outputs, width, 1);
                }
                else
                {
                    ConvolutionWithNorm($"{p}.conv1", $"{p}.bn1", width, inputs, 3);
                    ConvolutionWithNorm($"{p}.conv2", $"{p}.bn2", width, width, 3);
                }
                if (block.Projection) ConvolutionWithNorm($"{p}.downsample.0", $"{p}.downsample.1", outputs, inputs, 1);
                blocks.Add(block);
                inputs = outputs;
            }
        }
        parameters.Add(ParameterSpec.DenseWeight("fc", ImageNetClasses, inputs));
        parameters.Add(ParameterSpec.Bias("fc", ImageNetClasses, LayerKind.Dense));
        Parameters = parameters;
        State = state;
    }

    public int Depth { get; }

    /// <summary>True for ResNet-50 and deeper (1x1, 3x3, 1x1 blocks).</summary>
    public bool Bottleneck { get; }

    public override string Id => $"resnet{Depth}";
    public override string DisplayName => $"ResNet-{Depth}";

    public override IReadOnlyList<ParameterSpec> Parameters { get; }
    public override IReadOnlyList<StateSpec> State { get; }

    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false)
    {
        var x = F.relu(Layers.BatchNorm(F.conv2d(images, v["conv1.weight"], strides: [2, 2], padding: [3, 3]), v, "bn1", training));
        x = F.max_pool2d(x, kernel_size: 3, stride: 2, padding: 1);
        foreach (var b in blocks)
        {
            string p = b.Prefix;
            Tensor y;
            if (Bottleneck)
            {
                y = F.relu(Layers.BatchNorm(F.conv2d(x, v[$"{p}.conv1.weight"]), v, $"{p}.bn1", training));
                y = F.relu(Layers.BatchNorm(F.conv2d(y, v[$"{p}.conv2.weight"], strides: [b.Stride, b.Stride], padding: [1, 1]), v, $"{p}.bn2", training));
                y = Layers.BatchNorm(F.conv2d(y, v[$"{p}.conv3.weight"]), v, $"{p}.bn3", training);
            }
            else
            {
                y = F.relu(Layers.BatchNorm(F.conv2d(x, v[$"{p}.conv1.weight"], strides: [b.Stride, b.Stride], padding: [1, 1]), v, $"{p}.bn1", training));
                y = Layers.BatchNorm(F.conv2d(y, v[$"{p}.conv2.weight"], padding: [1, 1]), v, $"{p}.bn2", training);
            }
            var shortcut = b.Projection
                ? Layers.BatchNorm(F.conv2d(x, v[$"{p}.downsample.0.weight"], strides: [b.Stride, b.Stride]), v, $"{p}.downsample.1", training)
                : x;
            x = F.relu(y + shortcut);
        }
        x = F.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
        return F.linear(x, v["fc.weight"], v["fc.bias"]);
    }
}
