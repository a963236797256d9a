// EPR's training budgets for its CIFAR-10 and ImageNet rows (Oktay et al. 2020, sections 3.2 and 3.3), with the
// groups of EprVisionGroups and the decoder of the kernels (SQ, DFT, random orthogonal) as a parameter.
//   CIFAR-10, paper: "momentum of 0.9 with an initial learning rate of 0.1, and decay by 0.2 at iterations 256,000,
//     384,000, and 448,000 for a total of 512,000 iterations". Batch 128 (not stated; the usual CIFAR batch).
//   ImageNet, paper: "we reproduce the training setup and hyperparameters from He et al. (2016a)": SGD with momentum
//     0.9, learning rate 0.1 at batch 256, divided by 10 twice; we take torchvision's form of it: 90 epochs of
//     1,281,167 images (450,450 steps), x0.1 after epochs 30 and 60.
// Where this package differs, and why:
//   - SGD's learning rates are in the units of what they move. Biases and BN shifts (float32) move in parameter units:
//     0.1, as the paper. Latents move in quantisation steps: a latent step of d changes its weight by s*d (s: the
//     group's step, ~ the weights' RMS at the start, 0.05-0.1 for these convolution groups), so SGD on the latents at
//     rate r is SGD on the weights at r*s^2; r = 10 gives 0.025-0.1 at the start, the paper's 0.1 at the top of that
//     range. The decoders' log-scales and shifts sum gradients over whole groups: 1e-4 (at 1e-3 a run diverged).
//     The densities keep their own Adam at 1e-4 (section 3). These rates were checked to train on synthetic data
//     (ResNet-20-1, 60 steps: 57% error against Adam's 0% at the smoke rates), not tuned on CIFAR-10 or ImageNet.
//   - No weight decay: He et al. use 1e-4; in EPR the rate term is the regulariser.
//   - No EMA of the weights: the paper uses it for MNIST only.
// Lambda is per training example (EprOptions' header): loss = CE + lambda * bits / N. The paper's values are not
// published; 0.1 (our MNIST default) is the default here too, and Figure 4 sweeps a range.
// Smoke budgets (tests, notebooks on synthetic data) use Adam at the MNIST quick rates for a few dozen steps.
using Compression.Grouping;
using Compression.Models;
using Compression.Training;

namespace Compression.Epr;

public static class EprVisionBudgets
{
    public const double DefaultLambda = 0.1;

    /// <summary>The paper's CIFAR-10 milestones (x0.2) and length.</summary>
    public static readonly long[] CifarMilestones = [256_000, 384_000, 448_000];
    public const long CifarSteps = 512_000;

    /// <summary>SGD rates (see the header): latents 10 (quantisation steps), decoders 1e-4, float32 parameters 0.1; Adam 1e-4 for the densities.</summary>
    public static LearningRates SgdRates() => new(Latents: 10, Decoders: 1e-4, Densities: 1e-4, Float32: 0.1);

    static readonly LearningRates AdamQuick = new(Latents: 1e-2, Decoders: 1e-3, Densities: 1e-3, Float32: 1e-3);

    /// <summary>
    /// CIFAR-10 options (VGG-16, ResNet-20-4): smoke (60 Adam steps of 32: tests and notebooks on synthetic data), quick
    /// (an eighth of the paper's schedule: 64,000 steps, milestones 32k/48k/56k) or paper (512,000 steps).
    /// </summary>
    public static EprOptions Cifar10(string budget, Architecture architecture, TransformKind transform = TransformKind.Dft, double? lambda = null, long seed = 1)
    {
        var grouping = EprVisionGroups.For(architecture, transform);
        budget = budget.ToLowerInvariant();
        EprOptions Sgd(long steps) => new()
        {
            Budget = budget, Lambda = lambda ?? DefaultLambda, Seed = seed, Steps = steps, BatchSize = 128, Optimizer = EprOptimizer.SgdMomentum, Momentum = 0.9,
            LearningRates = SgdRates(), Milestones = CifarMilestones.Select(m => m * steps / CifarSteps).ToArray(), MilestoneFactor = 0.2, UseEma = false,
            Grouping = grouping, EvaluateEvery = steps / 64, EvaluationLimit = 2000, CheckpointEvery = Math.Min(10_000, steps / 16), LogEvery = 200, Threads = Devices.DefaultThreads,
        };
        return budget switch
        {
            "smoke" => new EprOptions
            {
                Budget = budget, Lambda = lambda ?? 1.0, Seed = seed, Steps = 60, BatchSize = 32, LearningRates = AdamQuick, UseEma = false, DecayFraction = 0.3,
                Grouping = grouping, EvaluateEvery = 30, EvaluationLimit = 500, LogEvery = 10, CheckpointEvery = 1000,
            },
            "quick" => Sgd(CifarSteps / 8),
            "paper" => Sgd(CifarSteps),
            _ => throw new ArgumentException($"unknown budget '{budget}' (smoke, quick, paper)"),
        };
    }

    /// <summary>
    /// The network a smoke run trains in place of <paramref name="id"/> on a CPU in seconds: ResNet-20-1 for ResNet-20-4
    /// (a quarter of the widths), VGG-16 with widths / 8; the ImageNet ResNets stay themselves (smoke runs feed them small images).
    /// </summary>
    public static string SmokeStandIn(string id) => id switch
    {
        "resnet20-4" => "resnet20-1",
        "vgg16-cifar" => "vgg16-cifar-narrow8",
        _ => id,
    };

    /// <summary>Training images of ILSVRC2012 and the torchvision recipe's batch and epochs.</summary>
    public const int ImageNetTrainImages = 1_281_167, ImageNetBatch = 256, ImageNetEpochs = 90;

    /// <summary>
    /// ImageNet options (ResNet-18, ResNet-50): smoke (20 Adam steps of 8 on synthetic JPEGs), quick (10 epochs, x0.1
    /// after 4 and 7) or paper (90 epochs, x0.1 after 30 and 60: He et al. as torchvision trains it).
    /// </summary>
    public static EprOptions ImageNet(string budget, Architecture architecture, TransformKind transform = TransformKind.Dft, double? lambda = null, long seed = 1)
    {
        var grouping = EprVisionGroups.For(architecture, transform);
        budget = budget.ToLowerInvariant();
        long perEpoch = ImageNetTrainImages / ImageNetBatch;
        EprOptions Sgd(int epochs, int[] milestoneEpochs) => new()
        {
            Budget = budget, Lambda = lambda ?? DefaultLambda, Seed = seed, Steps = epochs * perEpoch, BatchSize = ImageNetBatch, Optimizer = EprOptimizer.SgdMomentum,
            Momentum = 0.9, LearningRates = SgdRates(), Milestones = milestoneEpochs.Select(e => e * perEpoch).ToArray(), MilestoneFactor = 0.1, UseEma = false,
            Grouping = grouping, EvaluateEvery = perEpoch, EvaluationLimit = 5000, CheckpointEvery = 2000, LogEvery = 100, Threads = Devices.DefaultThreads,
        };
        return budget switch
        {
            "smoke" => new EprOptions
            {
                Budget = budget, Lambda = lambda ?? 1.0, Seed = seed, Steps = 20, BatchSize = 8, LearningRates = AdamQuick, UseEma = false,
                Grouping = grouping, EvaluateEvery = 10, LogEvery = 5, CheckpointEvery = 1000,
            },
            "quick" => Sgd(10, [4, 7]),
            "paper" => Sgd(ImageNetEpochs, [30, 60]),
            _ => throw new ArgumentException($"unknown budget '{budget}' (smoke, quick, paper)"),
        };
    }
}
