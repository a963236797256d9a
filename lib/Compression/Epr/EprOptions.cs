// Everything that defines an EPR training run. The objective is eq. 7 with the cross-entropy averaged over a
// minibatch and the rate normalised per training example:
//     loss = mean CE (nats) + Lambda * rate_bits / N_train,
// i.e. Lambda = 1 weighs a bit of model like a nat of training-set likelihood; the paper's lambda (which
// multiplies the total bits next to a mean CE) is Lambda / N_train (N_train = 60,000 for MNIST).
using Compression.Grouping;
using Compression.Probability;

namespace Compression.Epr;

/// <summary>Learning rates of the kinds of variables: latents (in quantisation steps), decoders and float32 parameters (in parameter units), densities.</summary>
public sealed record LearningRates(double Latents = 1e-3, double Decoders = 1e-3, double Densities = 1e-4, double Float32 = 1e-3);

/// <summary>The network's optimizer: Adam (the MNIST experiments) or SGD with momentum (CIFAR and ImageNet). Densities always use Adam.</summary>
public enum EprOptimizer { Adam, SgdMomentum }

public sealed record EprOptions
{
    /// <summary>smoke, quick or paper (or any name for a custom schedule); recorded in summaries.</summary>
    public string Budget { get; init; } = "custom";
    public required double Lambda { get; init; }
    public long Seed { get; init; } = 1;
    public required long Steps { get; init; }
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam learning rates: latents and decoders 1e-3 (section 3.1), densities 1e-4 (section 3: always).</summary>
    public LearningRates LearningRates { get; init; } = new();
    public EprOptimizer Optimizer { get; init; } = EprOptimizer.Adam;
    /// <summary>Momentum of <see cref="EprOptimizer.SgdMomentum"/> (0.9 in the paper's CIFAR runs).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>The networks are evaluated and compressed with an exponential moving average of the variables (MNIST); false compresses the last values.</summary>
    public bool UseEma { get; init; } = true;
    public double EmaDecay { get; init; } = 0.999;
    /// <summary>
    /// The last DecayFraction of the steps lower the learning rates linearly to FinalLearningRateFactor times their
    /// initial values; 0 keeps them constant (the paper's MNIST schedule).
    /// </summary>
    public double DecayFraction { get; init; }
    public double FinalLearningRateFactor { get; init; } = 0.1;
    /// <summary>Steps at which every learning rate is multiplied by <see cref="MilestoneFactor"/> (CIFAR: 256k, 384k, 448k of 512k, x0.2).</summary>
    public IReadOnlyList<long> Milestones { get; init; } = [];
    public double MilestoneFactor { get; init; } = 0.2;
    /// <summary>Train on the first examples of the training set only (smoke runs).</summary>
    public int? TrainLimit { get; init; }
    /// <summary>
    /// Hold out the last N training examples (after TrainLimit): training uses the rest, and the result reports the
    /// decoded network's error on them as validation_error, the figure to choose lambda by (never the test error).
    /// </summary>
    public int? ValidationCount { get; init; }
    /// <summary>Evaluate the periodic test error on the first examples only; the reported error always uses all of them.</summary>
    public int? EvaluationLimit { get; init; }
    public long LogEvery { get; init; } = 100;
    public long EvaluateEvery { get; init; } = 2000;
    public long CheckpointEvery { get; init; } = 5000;
    public RateEvaluation Rate { get; init; } = RateEvaluation.Auto;
    public LatentInitialization Initialization { get; init; } = new();
    /// <summary>How parameters are grouped; null: EPR's MNIST rules (<see cref="GroupingRules.EprMnist"/>), which fit any MLP or CNN without normalisation.</summary>
    public GroupingRules? Grouping { get; init; }
    /// <summary>libtorch CPU threads; 1 keeps long runs polite on a shared machine and repeatable.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>
    /// Evaluate the rate term (forward, backward and the latents' optimizer) on a second thread beside the network's
    /// own work: the same bits as one thread, in less wall time where a core is free (CPU and the fused rate only).
    /// Not part of the fingerprint: a run may resume in the other mode.
    /// </summary>
    public bool ConcurrentRate { get; init; }

    public GroupingRules GroupingOrDefault => Grouping ?? GroupingRules.EprMnist();

    /// <summary>Learning-rate factor at a step (0-based): milestones, then the final linear decay.</summary>
    public double LearningRateFactor(long step)
    {
        double factor = 1;
        foreach (var m in Milestones) if (step >= m) factor *= MilestoneFactor;
        long start = (long)Math.Round(Steps * (1 - DecayFraction));
        if (DecayFraction <= 0 || step < start) return factor;
        double progress = (double)(step - start) / Math.Max(1, Steps - start);
        return factor * (1 + (FinalLearningRateFactor - 1) * Math.Min(1, progress));
    }

    /// <summary>What makes two runs the same run (checkpoints are keyed by it).</summary>
    public string Fingerprint(string architecture, int trainCount) =>
        $"epr|{architecture}|{GroupingOrDefault.Describe()}|lambda={Lambda:R}|seed={Seed}|steps={Steps}|batch={BatchSize}|lr={LearningRates}|opt={Optimizer},{Momentum:R}" +
        $"|ema={UseEma},{EmaDecay:R}|decay={DecayFraction:R},{FinalLearningRateFactor:R}|milestones={string.Join(",", Milestones)}x{MilestoneFactor:R}|n={trainCount}|init={Initialization}";

    public static readonly string[] Budgets = ["smoke", "quick", "paper"];

    /// <summary>The lambda of the quick and paper budgets (per training example, see the header): lands near Table 1 on both LeNets.</summary>
    public const double DefaultLambda = 0.1;

    /// <summary>
    /// Options of a named budget; lambda defaults to <see cref="DefaultLambda"/> (1 for smoke).
    ///   paper: the paper's MNIST schedule: Adam 1e-3 (latents, decoders) and 1e-4 (densities), constant, 200,000 steps.
    ///   quick: a compressed schedule for a 2-core CPU: 10x the latents' and densities' learning rates (a latent
    ///          moves one quantisation step in ~100 instead of ~1,000 steps), the last 30% of the steps decaying
    ///          every rate linearly to a tenth; decoders keep 1e-3 (their shift is in parameter units); 20,000 steps.
    ///   smoke: the quick schedule for a few hundred steps on 2,000 training images (tests).
    /// </summary>
    public static EprOptions For(string budget, double? lambda = null, long seed = 1)
    {
        budget = budget.ToLowerInvariant();
        var quickRates = new LearningRates(Latents: 1e-2, Decoders: 1e-3, Densities: 1e-3);
        return budget switch
        {
            "smoke" => new EprOptions { Budget = budget, Lambda = lambda ?? 1.0, Seed = seed, Steps = 300, TrainLimit = 2000, EvaluationLimit = 1000, LogEvery = 20,
                                        EvaluateEvery = 100, CheckpointEvery = 1000, LearningRates = quickRates, DecayFraction = 0.3 },
            "quick" => new EprOptions { Budget = budget, Lambda = lambda ?? DefaultLambda, Seed = seed, Steps = 20_000, EvaluateEvery = 2000, EvaluationLimit = 2000,
                                        LearningRates = quickRates, DecayFraction = 0.3 },
            "paper" => new EprOptions { Budget = budget, Lambda = lambda ?? DefaultLambda, Seed = seed, Steps = 200_000, EvaluateEvery = 10_000, CheckpointEvery = 10_000 },
            _ => throw new ArgumentException($"unknown budget '{budget}' (smoke, quick, paper)"),
        };
    }
}
