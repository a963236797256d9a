// LeNet5-Caffe: conv 20@5x5, max-pool, conv 50@5x5, max-pool, FC 500, FC 10 (431,080 parameters, 1.72 MB).
// ReLU after each convolution and the first FC layer, as the compression literature's ports use.
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class LeNet5Caffe : Architecture
{
    public override string Id => "lenet5-caffe";
    public override string DisplayName => "LeNet5-Caffe";

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("conv1.weight", [20, 1, 5, 5], ParameterRole.Weight, "conv1", LayerKind.Convolution),
        new("conv1.bias", [20], ParameterRole.Bias, "conv1", LayerKind.Convolution),
        new("conv2.weight", [50, 20, 5, 5], ParameterRole.Weight, "conv2", LayerKind.Convolution),
        new("conv2.bias", [50], ParameterRole.Bias, "conv2", LayerKind.Convolution),
        new("fc1.weight", [500, 800], ParameterRole.Weight, "fc1", LayerKind.Dense),
        new("fc1.bias", [500], ParameterRole.Bias, "fc1", LayerKind.Dense),
        new("fc2.weight", [10, 500], ParameterRole.Weight, "fc2", LayerKind.Dense),
        new("fc2.bias", [10], ParameterRole.Bias, "fc2", LayerKind.Dense),
    ];

    public override Tensor Forward(Tensor images, IReadOnlyList<Tensor> p)
    {
        var x = F.max_pool2d(F.relu(F.conv2d(images, p[0], p[1])), 2);
        x = F.max_pool2d(F.relu(F.conv2d(x, p[2], p[3])), 2);
        x = x.reshape(x.shape[0], 800);
        x = F.relu(F.linear(x, p[4], p[5]));
        return F.linear(x, p[6], p[7]);
    }
}
