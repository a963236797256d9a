// LeNet-300-100: three fully connected layers 784-300-100-10 with ReLU (266,610 parameters, 1.07 MB).
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class LeNet300100 : Architecture
{
    public const string Name = "lenet300-100";

#pragma warning disable CA2255 // registers the package's own architecture when the library loads
    [ModuleInitializer]
    internal static void Register() => Architectures.Register(Name, () => new LeNet300100());
#pragma warning restore CA2255

    public override string Id => Name;
    public override string DisplayName => "LeNet300-100";

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.DenseWeight("fc1", 300, 784), ParameterSpec.Bias("fc1", 300, LayerKind.Dense),
        ParameterSpec.DenseWeight("fc2", 100, 300), ParameterSpec.Bias("fc2", 100, LayerKind.Dense),
        ParameterSpec.DenseWeight("fc3", 10, 100), ParameterSpec.Bias("fc3", 10, LayerKind.Dense),
    ];

    public override IReadOnlyList<UnitLink> UnitLinks { get; } =
        [new("fc1.weight", "fc1.bias", "fc2.weight", 1), new("fc2.weight", "fc2.bias", "fc3.weight", 1)];

    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false)
    {
        var p = v.Parameters;
        var x = images.reshape(images.shape[0], 784);
        x = F.relu(F.linear(x, p[0], p[1]));
        x = F.relu(F.linear(x, p[2], p[3]));
        return F.linear(x, p[4], p[5]);
    }
}
