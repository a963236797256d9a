// Everything one entropy-constrained training run needs, with the budgets smoke / quick / paper.
//
// Sources of the values: Wiedemann, Marban, Müller and Samek 2018 ("Entropy-Constrained Training of Deep Neural
// Networks", arXiv 1812.07520; seed 001) are known here only by their abstract, so every number below is our design,
// chosen on LeNet300-100 in this package (see the budgets' comments); none is the paper's.
using Compression.SoftWeightSharing;

namespace Compression.EntropyConstrained;

/// <summary>The training phase: loss = CE + lambda * (sum over groups of n_g * H_T(P_g)) / N.</summary>
public sealed record EcTrainSettings
{
    /// <summary>Optimisation steps (minibatches).</summary>
    public long Steps { get; init; } = 10 * 469;

    public int BatchSize { get; init; } = 128;

    /// <summary>lambda: the weight of the size term, in loss units per bit per training example (size / N).</summary>
    public double Lambda { get; init; } = 0.4;

    /// <summary>N in lambda * size / N; null: the number of training examples.</summary>
    public int? DatasetSize { get; init; }

    /// <summary>Adam on the network's weights (through the straight-through hard quantisation).</summary>
    public double WeightLearningRate { get; init; } = 5e-4;

    /// <summary>Adam on the free centres.</summary>
    public double CentreLearningRate { get; init; } = 1e-4;

    /// <summary>
    /// Relative temperature at the first step: T_g = t * s_g^2, with s_g the standard deviation of the group's starting
    /// values; t falls geometrically from <see cref="InitialTemperature"/> to <see cref="FinalTemperature"/> over the steps.
    /// </summary>
    public double InitialTemperature { get; init; } = 0.3;

    public double FinalTemperature { get; init; } = 1e-3;

    /// <summary>Steps over which lambda rises linearly from 0 (0: constant from the start).</summary>
    public long LambdaWarmupSteps { get; init; }

    /// <summary>Fraction of the steps at the end over which both learning rates fall linearly to 0 (0: constant).</summary>
    public double DecayFraction { get; init; } = 0.2;

    /// <summary>A history record every this many steps (0: about 60 records).</summary>
    public long HistoryEvery { get; init; }

    /// <summary>Test error (on <see cref="HistoryTestLimit"/> examples) every this many steps (0: 6 times a run).</summary>
    public long TestEvery { get; init; }

    /// <summary>Test examples of the error recorded in the history (the reported error always uses all of them).</summary>
    public int HistoryTestLimit { get; init; } = 2000;

    /// <summary>A checkpoint every this many steps (and at the end) when the run has a checkpoint folder; 0: none.</summary>
    public long CheckpointEvery { get; init; } = 1000;
}

/// <summary>The codebooks: per group, a fixed zero centre and free centres learned with the network.</summary>
public sealed record EcCodebookSettings
{
    /// <summary>Free (learned) centres per group, half of them below zero; the zero centre comes on top.</summary>
    public int FreeCentres { get; init; } = 16;

    /// <summary>
    /// Biases (and batch-norm shifts or scales) are quantised and coded in one more group with its own codebook; false keeps
    /// them as float32 side tensors.
    /// </summary>
    public bool CodeBiases { get; init; } = true;

    /// <summary>
    /// z: the free centres start at the quantiles of the largest 1 - z magnitudes of each side, so that the zero centre starts
    /// as the most used one (see CodebookGroup).
    /// </summary>
    public double InitialZeroFraction { get; init; } = 0.5;
}

public sealed record EcSettings
{
    public string Budget { get; init; } = "quick";

    public long Seed { get; init; } = 1;

    /// <summary>libtorch threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Train on the first examples only (smoke runs); null: all of them.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Pretraining of the reference network (the soft weight-sharing pretrainer; skipped when the run gets a network).</summary>
    public PretrainSettings Pretrain { get; init; } = new();

    public EcCodebookSettings Codebook { get; init; } = new();

    public EcTrainSettings Train { get; init; } = new();

    public static readonly string[] Budgets = ["smoke", "quick", "paper"];

    /// <summary>
    /// smoke: seconds, 2,048 training images, checks the pipeline only. quick: a few minutes per MNIST model on 2 idle cores
    /// (LeNet300-100: soft weight-sharing's quick pretraining, 20 passes at batch 128, then 6 passes of entropy-constrained
    /// training, about 1.5 steps/s with one thread on the shared, loaded build machine; LeNet5-Caffe: 3 + 3 passes). paper: pretraining to convergence as soft weight-sharing's paper budget, then
    /// 30 passes. lambda: 0.4 for dense networks, 1 for convolutional ones (quick budget, measured here: LeNet300-100
    /// 15,856 B at 1.62% with 0.4, 11,321 B at 1.91% with 0.7, 9,493 B at 2.12% with 1; LeNet5-Caffe 10,649 B at 1.22% with 1).
    /// </summary>
    public static EcSettings For(Models.Architecture architecture, string budget, long seed = 1, int trainCount = 60_000)
    {
        bool conv = architecture.HasConvolutions;
        long pass128 = Math.Max(1, trainCount / 128);
        return budget switch
        {
            "smoke" => new EcSettings
            {
                Budget = budget, Seed = seed, TrainLimit = 2048,
                Pretrain = new PretrainSettings { Steps = conv ? 100 : 300, CheckpointEvery = 1000 },
                Train = new EcTrainSettings { Steps = conv ? 40 : 120, Lambda = 0.02, HistoryEvery = 10, TestEvery = 40, HistoryTestLimit = 500 },
            },
            "quick" => new EcSettings
            {
                Budget = budget, Seed = seed,
                Pretrain = new PretrainSettings { Steps = (conv ? 3 : 20) * pass128 },
                Train = new EcTrainSettings { Steps = (conv ? 3 : 6) * pass128, Lambda = conv ? 1.0 : 0.4 },
            },
            "paper" => new EcSettings
            {
                Budget = budget, Seed = seed,
                Pretrain = new PretrainSettings { Steps = (conv ? 20 : 100) * pass128, CheckpointEvery = conv ? 1000 : 5000 },
                Train = new EcTrainSettings { Steps = 30 * pass128, Lambda = conv ? 1.0 : 0.4 },
            },
            _ => throw new ArgumentException($"unknown budget '{budget}' (use {string.Join(", ", Budgets)})"),
        };
    }
}
