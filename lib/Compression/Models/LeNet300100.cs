// LeNet-300-100: three fully connected layers 784-300-100-10 with ReLU (266,610 parameters, 1.07 MB).
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class LeNet300100 : Architecture
{
    public override string Id => "lenet300-100";
    public override string DisplayName => "LeNet300-100";

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("fc1.weight", [300, 784], ParameterRole.Weight, "fc1", LayerKind.Dense),
        new("fc1.bias", [300], ParameterRole.Bias, "fc1", LayerKind.Dense),
        new("fc2.weight", [100, 300], ParameterRole.Weight, "fc2", LayerKind.Dense),
        new("fc2.bias", [100], ParameterRole.Bias, "fc2", LayerKind.Dense),
        new("fc3.weight", [10, 100], ParameterRole.Weight, "fc3", LayerKind.Dense),
        new("fc3.bias", [10], ParameterRole.Bias, "fc3", LayerKind.Dense),
    ];

    public override Tensor Forward(Tensor images, IReadOnlyList<Tensor> p)
    {
        var x = images.reshape(images.shape[0], 784);
        x = F.relu(F.linear(x, p[0], p[1]));
        x = F.relu(F.linear(x, p[2], p[3]));
        return F.linear(x, p[4], p[5]);
    }
}
