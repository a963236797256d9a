// Everything that defines an EPR training run. The objective is eq. 7 with the cross-entropy averaged over a
// minibatch and the rate normalised per training example:
//     loss = mean CE (nats) + Lambda * rate_bits / N_train,
// i.e. Lambda = 1 weighs a bit of model like a nat of training-set likelihood; the paper's lambda (which
// multiplies the total bits next to a mean CE) is Lambda / N_train (N_train = 60,000 for MNIST).
using Compression.Probability;
using Compression.Reparameterization;

namespace Compression.Training;

public sealed record EprSettings
{
    public required string Model { get; init; }
    /// <summary>smoke, quick or paper (or any name for a custom schedule).</summary>
    public required string Budget { get; init; }
    public required double Lambda { get; init; }
    public long Seed { get; init; } = 1;
    public required long Steps { get; init; }
    public int BatchSize { get; init; } = 128;
    /// <summary>
    /// Adam learning rates: latents and decoders 1e-3 (section 3.1), densities 1e-4 (section 3: always).
    /// </summary>
    public LearningRates LearningRates { get; init; } = new();
    public double EmaDecay { get; init; } = 0.999;
    /// <summary>
    /// The last DecayFraction of the steps lower both learning rates linearly to FinalLearningRateFactor times
    /// their initial values; 0 keeps them constant (the paper's schedule).
    /// </summary>
    public double DecayFraction { get; init; }
    public double FinalLearningRateFactor { get; init; } = 0.1;

    /// <summary>Learning-rate factor at a step (0-based) under the decay schedule.</summary>
    public double LearningRateFactor(long step)
    {
        long start = (long)Math.Round(Steps * (1 - DecayFraction));
        if (DecayFraction <= 0 || step < start) return 1;
        double progress = (double)(step - start) / Math.Max(1, Steps - start);
        return 1 + (FinalLearningRateFactor - 1) * Math.Min(1, progress);
    }
    /// <summary>Keep only the first examples of the training set (smoke runs).</summary>
    public int? TrainLimit { get; init; }
    /// <summary>Evaluate the periodic test error on the first examples only; the final error always uses all 10,000.</summary>
    public int? TestLimit { get; init; }
    public long LogEvery { get; init; } = 100;
    public long EvaluateEvery { get; init; } = 2000;
    public long CheckpointEvery { get; init; } = 5000;
    public RateEvaluation Rate { get; init; } = RateEvaluation.Auto;
    public LatentInitialization Initialization { get; init; } = new();
    /// <summary>paper (section 3.1), or sq / dft / random: conv kernels as k x k vectors through that transform.</summary>
    public string Grouping { get; init; } = "paper";
    /// <summary>libtorch CPU threads; 1 keeps long runs polite on a shared machine and repeatable.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>auto, cpu or cuda (see <see cref="Devices.Choose"/>).</summary>
    public string? Device { get; init; }

    public static readonly string[] Budgets = ["smoke", "quick", "paper"];

    /// <summary>
    /// Settings of a named budget for a model; lambda defaults to the value chosen for Table 1.
    ///   paper: the paper's schedule: Adam 1e-3 (latents, decoders) and 1e-4 (densities), constant, 200,000 steps.
    ///   quick: a compressed schedule for a 2-core CPU: 10x the latents' and densities' learning rates (a latent
    ///          moves one quantisation step in ~100 instead of ~1,000 steps), the last 30% of the steps decaying
    ///          every rate linearly to a tenth; decoders keep 1e-3 (their shift is in parameter units).
    ///   smoke: the quick schedule for a few hundred steps on 2,000 training images (tests).
    /// </summary>
    public static EprSettings For(string model, string budget, double? lambda = null, long seed = 1)
    {
        model = model.ToLowerInvariant();
        budget = budget.ToLowerInvariant();
        var s = new EprSettings { Model = model, Budget = budget, Lambda = lambda ?? DefaultLambda(model, budget), Seed = seed, Steps = 0 };
        var quickRates = new LearningRates(Latents: 1e-2, Decoders: 1e-3, Densities: 1e-3);
        return budget switch
        {
            "smoke" => s with { Steps = 300, TrainLimit = 2000, TestLimit = 1000, LogEvery = 20, EvaluateEvery = 100, CheckpointEvery = 1000, LearningRates = quickRates, DecayFraction = 0.3 },
            "quick" => s with { Steps = model == "lenet5-caffe" ? 20_000 : 20_000, EvaluateEvery = 2000, TestLimit = 2000, LearningRates = quickRates, DecayFraction = 0.3 },
            "paper" => s with { Steps = 200_000, EvaluateEvery = 10_000, CheckpointEvery = 10_000 },
            _ => throw new ArgumentException($"unknown budget '{budget}' (smoke, quick, paper)"),
        };
    }

    /// <summary>Lambda (per-example normalisation, see the header) chosen to land near Table 1's error.</summary>
    public static double DefaultLambda(string model, string budget) => (model.ToLowerInvariant(), budget.ToLowerInvariant()) switch
    {
        (_, "smoke") => 1.0,
        ("lenet300-100", _) => 0.1,
        ("lenet5-caffe", _) => 0.1,
        _ => throw new ArgumentException($"unknown model '{model}'"),
    };

    public IReadOnlyList<GroupSpec> Groups(Compression.Models.Architecture architecture) => Grouping.ToLowerInvariant() switch
    {
        "paper" => PaperGroups.For(architecture),
        "sq" => PaperGroups.WithKernelTransform(architecture, TransformKind.Identity),
        "dft" => PaperGroups.WithKernelTransform(architecture, TransformKind.Dft),
        "random" => PaperGroups.WithKernelTransform(architecture, TransformKind.RandomOrthogonal, (int)Seed),
        _ => throw new ArgumentException($"unknown grouping '{Grouping}' (paper, sq, dft, random)"),
    };
}
