// Networks the library has never seen, written the way a user writes one: a multilayer perceptron and a
// convolutional network of seeded random shapes, and a small residual network with batch normalisation (a skip
// connection, running statistics as state, no BN gamma as in EPR's convention).
using Compression.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.OpenCore;

/// <summary>784 -> h1 -> h2 -> 10 with ReLU, the hidden widths drawn from a seed.</summary>
public sealed class RandomMlp : Architecture
{
    public RandomMlp(int seed)
    {
        var random = new Random(seed);
        int h1 = random.Next(20, 80), h2 = random.Next(10, 40);
        Id = $"test-mlp-{h1}-{h2}";
        Parameters =
        [
            ParameterSpec.DenseWeight("in", h1, 784), ParameterSpec.Bias("in", h1, LayerKind.Dense),
            ParameterSpec.DenseWeight("mid", h2, h1), ParameterSpec.Bias("mid", h2, LayerKind.Dense),
            ParameterSpec.DenseWeight("out", 10, h2), ParameterSpec.Bias("out", 10, LayerKind.Dense),
        ];
    }

    public override string Id { get; }
    public override IReadOnlyList<ParameterSpec> Parameters { get; }

    public override Tensor Forward(Tensor x, NetworkValues v, bool training = false)
    {
        x = F.relu(F.linear(x.flatten(1), v["in.weight"], v["in.bias"]));
        x = F.relu(F.linear(x, v["mid.weight"], v["mid.bias"]));
        return F.linear(x, v["out.weight"], v["out.bias"]);
    }
}

/// <summary>conv c1@k1 (stride 2), conv c2@3x3 (stride 2), global average pool, FC 10; c1, c2 and k1 drawn from a seed.</summary>
public sealed class RandomCnn : Architecture
{
    readonly int k1;

    public RandomCnn(int seed)
    {
        var random = new Random(seed);
        int c1 = random.Next(4, 12), c2 = random.Next(6, 16);
        k1 = random.Next(0, 2) == 0 ? 3 : 5;
        Id = $"test-cnn-{c1}-{c2}-{k1}";
        Parameters =
        [
            ParameterSpec.ConvolutionWeight("conv1", c1, 1, k1), ParameterSpec.Bias("conv1", c1, LayerKind.Convolution),
            ParameterSpec.ConvolutionWeight("conv2", c2, c1, 3), ParameterSpec.Bias("conv2", c2, LayerKind.Convolution),
            ParameterSpec.DenseWeight("fc", 10, c2), ParameterSpec.Bias("fc", 10, LayerKind.Dense),
        ];
    }

    public override string Id { get; }
    public override IReadOnlyList<ParameterSpec> Parameters { get; }

    public override Tensor Forward(Tensor x, NetworkValues v, bool training = false)
    {
        x = F.relu(F.conv2d(x, v["conv1.weight"], v["conv1.bias"], strides: [2, 2], padding: [k1 / 2, k1 / 2]));
        x = F.relu(F.conv2d(x, v["conv2.weight"], v["conv2.bias"], strides: [2, 2], padding: [1, 1]));
        return F.linear(x.mean([2, 3]), v["fc.weight"], v["fc.bias"]);
    }
}

/// <summary>
/// conv 8@3x3 -> BN -> ReLU -> conv 8@3x3 -> BN, plus the first block's output (a skip connection) -> ReLU -> global
/// average pool -> FC 10. Convolutions without bias; BN with beta (a NormShift) and no gamma; running statistics as state.
/// </summary>
public sealed class TinyResidualNet : Architecture
{
    public override string Id => "test-residual";

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.ConvolutionWeight("conv1", 8, 1, 3), ParameterSpec.NormShift("bn1", 8),
        ParameterSpec.ConvolutionWeight("conv2", 8, 8, 3), ParameterSpec.NormShift("bn2", 8),
        ParameterSpec.DenseWeight("fc", 10, 8), ParameterSpec.Bias("fc", 10, LayerKind.Dense),
    ];

    public override IReadOnlyList<StateSpec> State { get; } = [.. StateSpec.BatchNorm("bn1", 8), .. StateSpec.BatchNorm("bn2", 8)];

    public override Tensor Forward(Tensor x, NetworkValues v, bool training = false)
    {
        var h = F.relu(Layers.BatchNorm(F.conv2d(x, v["conv1.weight"], padding: [1, 1], strides: [2, 2]), v, "bn1", training));
        var y = Layers.BatchNorm(F.conv2d(h, v["conv2.weight"], padding: [1, 1]), v, "bn2", training);
        return F.linear(F.relu(y + h).mean([2, 3]), v["fc.weight"], v["fc.bias"]);
    }
}
