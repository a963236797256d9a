// EPR's parameter groups for its CIFAR-10 and ImageNet networks (Oktay et al. 2020, sections 3.2 and 3.3), as rules.
// Every 3x3 kernel is a row of l = 9 latents through a fixed 9x9 transform: Identity ("SQ", scalar quantisation),
// Dft (the inverse real DFT, the paper's choice) or RandomOrthogonal (Figure 4's third decoder).
//   VGG-16 (CIFAR): 4 groups: all convolutions; each of the three dense layers.
//   ResNet-20-4 (CIFAR): 2 groups: all convolutions; the classifier.
//   ResNet-50 (ImageNet): 4 groups: all 3x3 convolutions; all 1x1 convolutions (l = 1); the 7x7 stem; the classifier.
//   ResNet-18 (ImageNet): the same rule gives 4 groups: 3x3; the three 1x1 shortcut convolutions (172,032 weights,
//     1.5%); the stem; the classifier. The paper says 3 ("1x1 convolutional layers to a single group (applicable to
//     ResNet-50)"), which fits a ResNet-18 without 1x1 convolutions, but its 46.7 MB is torchvision's ResNet-18 with
//     them; which group the paper put them in is not said, so we give them the 1x1 group ResNet-50's rule gives them.
// Biases and BN shifts: float32, counted in the file (the paper: "We do not compress biases ... we add that to our
// reported numbers", about 20 KB for VGG-16 and 11 KB for ResNet-20-4; not said for ImageNet, where we do the same).
using Compression.Models;

namespace Compression.Grouping;

public static class EprVisionGroups
{
    /// <summary>CIFAR-10 networks: every 3x3 kernel in one group (l = 9, <paramref name="transform"/>), each dense layer its own group, biases float32.</summary>
    public static GroupingRules Cifar(TransformKind transform = TransformKind.Dft, int seed = 1) =>
        new GroupingRules().Kernels(3, transform, "conv", seed).EachDense().BiasesAsFloat32();

    /// <summary>ImageNet ResNets: 3x3 kernels one group (l = 9), 1x1 convolutions one group (l = 1), every other weight its own group, biases float32.</summary>
    public static GroupingRules ImageNet(TransformKind transform = TransformKind.Dft, int seed = 1) =>
        new GroupingRules().Kernels(3, transform, "conv3x3", seed).Kernels(1, transform, "conv1x1").EachRemaining().BiasesAsFloat32();

    /// <summary>The paper's grouping for one of the package's vision networks.</summary>
    public static GroupingRules For(Architecture architecture, TransformKind transform = TransformKind.Dft, int seed = 1) => architecture switch
    {
        Vgg16Cifar or ResNetCifar => Cifar(transform, seed),
        ResNetImageNet => ImageNet(transform, seed),
        _ => throw new ArgumentException($"EPR's vision groups are defined for VGG-16 and the ResNets, not {architecture.DisplayName}; use GroupingRules.Default() or rules of your own"),
    };

    /// <summary>The paper's names of the three decoders of Figure 4.</summary>
    public static string Label(TransformKind transform) => transform switch
    {
        TransformKind.Identity => "SQ",
        TransformKind.Dft => "DFT",
        TransformKind.RandomOrthogonal => "random orthogonal",
        _ => transform.ToString(),
    };
}
