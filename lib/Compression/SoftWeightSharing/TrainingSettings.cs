// Schedules of the two training phases of soft weight-sharing. Sources of the defaults:
//   [tutorial] KarenUllrich/Tutorial-SoftWeightSharingForNNCompression, tutorial.ipynb;
//   [task]     this package's task statement (pretraining with plain Adam 1e-3, batch 128).
namespace Compression.SoftWeightSharing;

/// <summary>Training of the reference network: plain Adam on cross-entropy.</summary>
public sealed record PretrainSettings
{
    /// <summary>Optimisation steps (minibatches).</summary>
    public long Steps { get; init; } = 50 * 469;

    /// <summary>[task] 128 (the tutorial's own pretraining used 256).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>[tutorial] Adam(lr=0.001).</summary>
    public double LearningRate { get; init; } = 1e-3;

    public long CheckpointEvery { get; init; } = 5000;
}

/// <summary>Retraining with the mixture prior: loss = CE + (tau / N) (-log p(w) + hyperprior).</summary>
public sealed record RetrainSettings
{
    /// <summary>Optimisation steps. [tutorial] 30 epochs (30 x 234 steps at batch 256).</summary>
    public long Steps { get; init; } = 30 * 234;

    /// <summary>[tutorial] batch_size = 256 (the variable set for pretraining and reused by the retraining fit).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>tau, the weight of the complexity term. [tutorial] 0.003.</summary>
    public double Tau { get; init; } = 0.003;

    /// <summary>N in tau / N; null means the number of training examples. [tutorial] N = X_train.shape[0] = 60,000.</summary>
    public int? DatasetSize { get; init; }

    /// <summary>
    /// Steps over which tau rises linearly from 0 to its value; 0 (default, as the tutorial) keeps it
    /// constant. The tutorial mentions annealing tau as a way to better results.
    /// </summary>
    public long TauWarmupSteps { get; init; }

    /// <summary>Adam learning rates per parameter type. [tutorial] [5e-4, 1e-4, 3e-3, 3e-3] for
    /// [network weights, means, log-precisions, log-mixing-proportions].</summary>
    public double WeightLearningRate { get; init; } = 5e-4;
    public double MeanLearningRate { get; init; } = 1e-4;
    public double LogPrecisionLearningRate { get; init; } = 3e-3;
    public double LogProportionLearningRate { get; init; } = 3e-3;

    /// <summary>
    /// Fraction of the steps at the end over which all four learning rates fall linearly to 0. 0 (the
    /// tutorial's constant rates) turns it off. A decay lets the weights settle onto the components.
    /// </summary>
    public double DecayFraction { get; init; }

    /// <summary>
    /// Tau annealing at the end: over the last TauRampFraction of the steps tau grows geometrically to
    /// TauFinalFactor times its value. The paper names annealing tau as a route to better results; here it pulls
    /// the surviving weights onto their component means before they are snapped there (the mixture's own widths
    /// stay near the hyperprior's 0.02, which otherwise leaves them spread around the means). 0 / 1: off.
    /// </summary>
    public double TauRampFraction { get; init; }
    public double TauFinalFactor { get; init; } = 1;

    /// <summary>K: history (curves, mixture, histogram, weight sample) every K steps; 0 picks about 60 records.</summary>
    public long HistoryEvery { get; init; }

    /// <summary>Test error is added to the history record every this many steps; 0 means once per epoch.</summary>
    public long TestEvery { get; init; }

    /// <summary>Histogram of the prior's weights: bins over [-range, range] (values outside go to the end bins). The tutorial plots 200 bins on [-1, 1].</summary>
    public int HistogramBins { get; init; } = 200;
    public double HistogramRange { get; init; } = 1.0;

    /// <summary>Weights followed individually (fixed random sample) for the pretrained-vs-retrained scatter plot.</summary>
    public int WeightSample { get; init; } = 1000;

    public long CheckpointEvery { get; init; } = 1000;

    /// <summary>
    /// Prior gradients by the fused pass of <see cref="MixtureGradients"/> (default; ~40x faster on CPU) or
    /// by autograd through <see cref="GaussianMixturePrior.NegativeLogLikelihood"/>. Both give the same gradients (tested).
    /// </summary>
    public bool FusedPrior { get; init; } = true;
}
