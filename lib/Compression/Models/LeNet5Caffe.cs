// LeNet5-Caffe: conv 20@5x5, max-pool, conv 50@5x5, max-pool, FC 500, FC 10 (431,080 parameters, 1.72 MB).
// ReLU after each convolution and the first FC layer, as the compression literature's ports use.
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class LeNet5Caffe : Architecture
{
    public const string Name = "lenet5-caffe";

#pragma warning disable CA2255 // registers the package's own architecture when the library loads
    [ModuleInitializer]
    internal static void Register() => Architectures.Register(Name, () => new LeNet5Caffe());
#pragma warning restore CA2255

    public override string Id => Name;
    public override string DisplayName => "LeNet5-Caffe";

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.ConvolutionWeight("conv1", 20, 1, 5), ParameterSpec.Bias("conv1", 20, LayerKind.Convolution),
        ParameterSpec.ConvolutionWeight("conv2", 50, 20, 5), ParameterSpec.Bias("conv2", 50, LayerKind.Convolution),
        ParameterSpec.DenseWeight("fc1", 500, 800), ParameterSpec.Bias("fc1", 500, LayerKind.Dense),
        ParameterSpec.DenseWeight("fc2", 10, 500), ParameterSpec.Bias("fc2", 10, LayerKind.Dense),
    ];

    /// <summary>conv1's channel c is conv2's input channel c (25 weights per row); conv2's channel c is fc1's inputs 16c..16c+15 (4 x 4 after pooling).</summary>
    public override IReadOnlyList<UnitLink> UnitLinks { get; } =
    [
        new("conv1.weight", "conv1.bias", "conv2.weight", 25),
        new("conv2.weight", "conv2.bias", "fc1.weight", 16),
        new("fc1.weight", "fc1.bias", "fc2.weight", 1),
    ];

    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false)
    {
        var p = v.Parameters;
        // relu(pool(.)) equals pool(relu(.)) in value and gradient (the first maximum of a window is positive
        // exactly when the window's ReLU output is), on a quarter of the elements.
        var x = F.relu(Layers.MaxPool2x2(F.conv2d(images, p[0], p[1])));
        x = F.relu(Layers.MaxPool2x2(F.conv2d(x, p[2], p[3])));
        x = x.reshape(x.shape[0], 800);
        x = F.relu(F.linear(x, p[4], p[5]));
        return F.linear(x, p[6], p[7]);
    }
}
