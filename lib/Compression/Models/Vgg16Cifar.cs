// VGG-16 for CIFAR-10 as EPR (section 3.2, Table 1: 60 MB) and MIRACLE use it: thirteen 3x3 convolutions with
// batch normalisation and ReLU in five stages (64, 64 | 128, 128 | 256 x 3 | 512 x 3 | 512 x 3, a 2x2 max-pool after
// each), so a 32x32 image ends as 512 features, then three dense layers 512-512-10 with ReLU between them.
// Reference: Simonyan & Zisserman 2015 (configuration D) in the CIFAR form of Zagoruyko's "92.45% on CIFAR-10 in
// Torch" (torch.ch/blog/2015/07/30/cifar.html, which EPR cites), with the third dense layer MIRACLE's code has.
// Parameters: 14,710,464 convolution weights + 4,224 BN shifts + 530,442 dense weights and biases = 15,245,130
// (60,980,520 bytes as float32: Table 1's "60 MB"; MIRACLE's count for "conv + FC 512-512-10").
// EPR's convention: no convolution bias and no BN gamma (fixed to 1); the BN shift beta is the layer's bias
// (NormShift, stored as float32 and counted: "about 20 KB"); running statistics are State, not counted.
// No dropout: the entropy penalty is the regulariser here. Names follow torchvision's vgg16_bn
// (features.<i>.weight for a convolution, features.<i+1>.bias/running_mean/running_var for its BN,
// classifier.0/3/6 for the dense layers), so a PyTorch state_dict maps by name.
// WidthDivisor > 1 divides every width (smoke runs: "vgg16-cifar-narrow8" has the same graph and 1/64 of the weights).
using System.Runtime.CompilerServices;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public sealed class Vgg16Cifar : Architecture
{
    public const string Name = "vgg16-cifar";

    /// <summary>Output channels of the 13 convolutions; 0 marks a 2x2 max-pool.</summary>
    static readonly int[] Configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

#pragma warning disable CA2255 // registers the package's own architecture when the library loads
    [ModuleInitializer]
    internal static void Register()
    {
        Architectures.Register(Name, () => new Vgg16Cifar());
        Architectures.Register(Name + "-narrow8", () => new Vgg16Cifar(widthDivisor: 8));
    }
#pragma warning restore CA2255

    readonly List<(string Conv, string Norm)> convolutions = [];
    readonly List<bool> poolAfter = [];
    readonly string[] dense = ["classifier.0", "classifier.3", "classifier.6"];

    public Vgg16Cifar(int widthDivisor = 1)
    {
        if (widthDivisor < 1 || 64 % widthDivisor != 0) throw new ArgumentOutOfRangeException(nameof(widthDivisor), "a divisor of 64");
        WidthDivisor = widthDivisor;
        var parameters = new List<ParameterSpec>();
        var state = new List<StateSpec>();
        int index = 0, inputs = 3;
        foreach (int width in Configuration)
        {
            if (width == 0) { poolAfter[^1] = true; index++; continue; }
            int outputs = width / widthDivisor;
            string conv = $"features.{index}", norm = $"features.{index + 1}";
            parameters.Add(ParameterSpec.ConvolutionWeight(conv, outputs, inputs, 3));
            parameters.Add(ParameterSpec.NormShift(norm, outputs));
            state.AddRange(StateSpec.BatchNorm(norm, outputs));
            convolutions.Add((conv, norm));
            poolAfter.Add(false);
            inputs = outputs;
            index += 3;   // convolution, batch norm, ReLU
        }
        int hidden = 512 / widthDivisor;
        parameters.Add(ParameterSpec.DenseWeight(dense[0], hidden, inputs)); parameters.Add(ParameterSpec.Bias(dense[0], hidden, LayerKind.Dense));
        parameters.Add(ParameterSpec.DenseWeight(dense[1], hidden, hidden)); parameters.Add(ParameterSpec.Bias(dense[1], hidden, LayerKind.Dense));
        parameters.Add(ParameterSpec.DenseWeight(dense[2], 10, hidden)); parameters.Add(ParameterSpec.Bias(dense[2], 10, LayerKind.Dense));
        Parameters = parameters;
        State = state;
    }

    public int WidthDivisor { get; }

    public override string Id => WidthDivisor == 1 ? Name : $"{Name}-narrow{WidthDivisor}";
    public override string DisplayName => WidthDivisor == 1 ? "VGG-16 (CIFAR-10)" : $"VGG-16 with widths / {WidthDivisor} (CIFAR-10)";

    public override IReadOnlyList<ParameterSpec> Parameters { get; }
    public override IReadOnlyList<StateSpec> State { get; }

    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false)
    {
        var x = images;
        for (int i = 0; i < convolutions.Count; i++)
        {
            var (conv, norm) = convolutions[i];
            x = F.relu(Layers.BatchNorm(F.conv2d(x, v[$"{conv}.weight"], padding: [1, 1]), v, norm, training));
            if (poolAfter[i]) x = Layers.MaxPool2x2(x);
        }
        x = x.flatten(1);
        x = F.relu(F.linear(x, v["classifier.0.weight"], v["classifier.0.bias"]));
        x = F.relu(F.linear(x, v["classifier.3.weight"], v["classifier.3.bias"]));
        return F.linear(x, v["classifier.6.weight"], v["classifier.6.bias"]);
    }
}
