// Hyperparameters of the factorized Gaussian-mixture prior of soft weight-sharing (Ullrich, Meeds,
// Welling 2017). Sources of the defaults:
//   [paper]    the ICLR 2017 paper, section 6 / appendix (17 components: 16 free plus the zero component);
//   [tutorial] the authors' tutorial (KarenUllrich/Tutorial-SoftWeightSharingForNNCompression):
//              empirical_priors.py (initialisation, hyperpriors), tutorial.ipynb (pi_zero, tau, learning rates).
namespace Compression.SoftWeightSharing;

/// <summary>How the free component means are initialised.</summary>
public enum MeanInitialization
{
    /// <summary>Evenly spaced in [-R, R] with R = <see cref="MixturePriorSettings.InitialMeanRange"/> [tutorial: linspace(-0.6, 0.6, J-1)].</summary>
    Linspace,
    /// <summary>Evenly spaced between the smallest and largest pretrained weight (as some reproductions do).</summary>
    WeightRange,
}

public sealed record MixturePriorSettings
{
    /// <summary>J, all components including the zero component. [paper] 17 (the tutorial itself uses 16).</summary>
    public int Components { get; init; } = 17;

    /// <summary>pi_0, the fixed mixing proportion of the zero component. [tutorial] 0.99.</summary>
    public double ZeroProportion { get; init; } = 0.99;

    /// <summary>[tutorial] the free means start evenly spaced in [-0.6, 0.6].</summary>
    public MeanInitialization MeanInitialization { get; init; } = MeanInitialization.Linspace;

    /// <summary>R of <see cref="MeanInitialization.Linspace"/>. [tutorial] 0.6.</summary>
    public double InitialMeanRange { get; init; } = 0.6;

    /// <summary>Initial standard deviation of every component, zero included. [tutorial] 0.25.</summary>
    public double InitialStd { get; init; } = 0.25;

    /// <summary>Gamma(alpha, beta) hyperprior on the zero component's precision. [tutorial] (5000, 2).</summary>
    public double ZeroAlpha { get; init; } = 5000;
    public double ZeroBeta { get; init; } = 2;

    /// <summary>Gamma(alpha, beta) hyperprior on every other precision. [tutorial] (250, 0.1).</summary>
    public double OtherAlpha { get; init; } = 250;
    public double OtherBeta { get; init; } = 0.1;

    /// <summary>
    /// Whether biases are weights of the prior (and so quantised to component means and coded with the
    /// weights). [tutorial] yes: its prior covers every trainable tensor of the network (extract_weights)
    /// and discretesize quantises them all. When false the biases stay float32 side tensors of the file.
    /// </summary>
    public bool BiasesInPrior { get; init; } = true;

    public void Validate()
    {
        if (Components < 2) throw new ArgumentException("a mixture needs the zero component and at least one free component");
        if (!(ZeroProportion > 0 && ZeroProportion < 1)) throw new ArgumentException("pi_0 must lie in (0, 1)");
        if (!(InitialStd > 0)) throw new ArgumentException("the initial standard deviation must be positive");
        if (!(InitialMeanRange > 0)) throw new ArgumentException("the initial mean range must be positive");
    }
}
