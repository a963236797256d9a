// The empirical prior of soft weight-sharing: a factorized Gaussian mixture over every weight,
//   p(w) = prod_i sum_{j=0}^{J-1} pi_j N(w_i; mu_j, 1 / lambda_j),
// learned jointly with the network. Component 0 is the pruning component: mu_0 = 0 and pi_0 fixed. The
// free means, the log-precisions gamma_j = log lambda_j (all J, the zero one included) and the
// log-proportions rho (free components; pi_j = (1 - pi_0) softmax(rho)_j) are trainable tensors.
// Gamma(alpha, beta) hyperpriors on the precisions contribute (1 - alpha) gamma_j + beta lambda_j each.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

public sealed class GaussianMixturePrior : IDisposable
{
    public MixturePriorSettings Settings { get; }

    /// <summary>The J - 1 free means.</summary>
    public Parameter Means { get; }

    /// <summary>gamma_j = log lambda_j = -log sigma_j^2 for all J components.</summary>
    public Parameter LogPrecisions { get; }

    /// <summary>rho, the unnormalised log mixing proportions of the J - 1 free components.</summary>
    public Parameter LogProportions { get; }

    public int Components => Settings.Components;

    GaussianMixturePrior(MixturePriorSettings settings, Tensor means, Tensor logPrecisions, Tensor logProportions)
    {
        Settings = settings;
        Means = new Parameter(means, requires_grad: true);
        LogPrecisions = new Parameter(logPrecisions, requires_grad: true);
        LogProportions = new Parameter(logProportions, requires_grad: true);
    }

    /// <summary>
    /// The tutorial's initialisation: free means evenly spaced (in [-R, R], or over the range of
    /// <paramref name="weights"/> for <see cref="MeanInitialization.WeightRange"/>), every std
    /// <see cref="MixturePriorSettings.InitialStd"/>, free proportions equal and summing to 1 - pi_0.
    /// </summary>
    public static GaussianMixturePrior Create(MixturePriorSettings settings, Device? device = null, IReadOnlyList<Tensor>? weights = null)
    {
        settings.Validate();
        int free = settings.Components - 1;
        double lo = -settings.InitialMeanRange, hi = settings.InitialMeanRange;
        if (settings.MeanInitialization == MeanInitialization.WeightRange)
        {
            if (weights == null || weights.Count == 0) throw new ArgumentException("WeightRange initialisation needs the pretrained weights");
            lo = weights.Min(w => w.min().item<float>());
            hi = weights.Max(w => w.max().item<float>());
        }
        var means = new float[free];
        for (int k = 0; k < free; k++) means[k] = (float)(free == 1 ? 0.5 * (lo + hi) : lo + (hi - lo) * k / (free - 1));
        var gamma = Enumerable.Repeat((float)(-Math.Log(settings.InitialStd * settings.InitialStd)), settings.Components).ToArray();
        var rho = Enumerable.Repeat((float)Math.Log((1 - settings.ZeroProportion) / free), free).ToArray();
        return new GaussianMixturePrior(settings,
            tensor(means, device: device), tensor(gamma, device: device), tensor(rho, device: device));
    }

    /// <summary>A prior holding given values (component 0 is the zero component; its mean and proportion are ignored).</summary>
    public static GaussianMixturePrior FromState(MixturePriorSettings settings, MixtureState state, Device? device = null)
    {
        if (state.Count != settings.Components) throw new ArgumentException($"state has {state.Count} components, settings {settings.Components}");
        var means = state.Means.Skip(1).Select(m => (float)m).ToArray();
        var gamma = state.LogPrecisions.Select(g => (float)g).ToArray();
        var rho = state.LogProportions.Skip(1).Select(r => (float)r).ToArray();
        return new GaussianMixturePrior(settings, tensor(means, device: device), tensor(gamma, device: device), tensor(rho, device: device));
    }

    public IReadOnlyList<Parameter> TrainableTensors => [Means, LogPrecisions, LogProportions];

    /// <summary>All J means, mu_0 = 0 first.</summary>
    public Tensor AllMeans() => cat([zeros(1, dtype: Means.dtype, device: Means.device), Means]);

    /// <summary>log pi_j for all J components: log pi_0, then log(1 - pi_0) + log_softmax(rho).</summary>
    public Tensor LogMixingProportions()
    {
        var zero = full(1, Math.Log(Settings.ZeroProportion), dtype: LogProportions.dtype, device: LogProportions.device);
        return cat([zero, LogProportions.log_softmax(0) + Math.Log(1 - Settings.ZeroProportion)]);
    }

    /// <summary>log p(w_i) for every element of <paramref name="w"/> (any shape; flattened), differentiable in w and the prior.</summary>
    public Tensor LogDensity(Tensor w)
    {
        using var scope = NewDisposeScope();
        var flat = w.reshape(-1, 1);
        var logCoefficient = LogMixingProportions() + 0.5 * (LogPrecisions - Math.Log(2 * Math.PI)); // [J]
        var diff = flat - AllMeans();                                                                // [N, J]
        var terms = logCoefficient - 0.5 * LogPrecisions.exp() * diff.square();
        return terms.logsumexp(1).MoveToOuterDisposeScope();
    }

    /// <summary>-sum_i log p(w_i) over all given tensors.</summary>
    public Tensor NegativeLogLikelihood(IReadOnlyList<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        var flat = weights.Count == 1 ? weights[0].reshape(-1) : cat(weights.Select(t => t.reshape(-1)).ToList());
        return LogDensity(flat).sum().neg().MoveToOuterDisposeScope();
    }

    /// <summary>-log of the Gamma hyperpriors on the precisions, up to a constant: sum_j (1 - alpha_j) gamma_j + beta_j lambda_j.</summary>
    public Tensor NegativeLogHyperprior()
    {
        using var scope = NewDisposeScope();
        var alpha = new float[Components];
        var beta = new float[Components];
        for (int j = 0; j < Components; j++)
        {
            alpha[j] = (float)(j == 0 ? Settings.ZeroAlpha : Settings.OtherAlpha);
            beta[j] = (float)(j == 0 ? Settings.ZeroBeta : Settings.OtherBeta);
        }
        var a = tensor(alpha, device: LogPrecisions.device);
        var b = tensor(beta, device: LogPrecisions.device);
        return ((1 - a) * LogPrecisions + b * LogPrecisions.exp()).sum().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The complexity term scale * (-sum log p(w) + hyperprior) for backpropagation, computed by the fused
    /// pass of <see cref="MixtureGradients"/> instead of autograd through N x J tensors: the returned
    /// <paramref name="surrogate"/> is a scalar whose gradients with respect to the weights and the prior's
    /// tensors are those of the complexity term (its value is not). Returns -sum log p(w) in nats.
    /// </summary>
    public double FusedComplexity(IReadOnlyList<Tensor> weights, double scale, out Tensor surrogate)
    {
        using var scope = NewDisposeScope();
        var state = State();
        var sums = new MixtureSums(Components);
        Tensor total = NegativeLogHyperprior() * scale;
        var buffers = Workspace(weights);
        for (int i = 0; i < weights.Count; i++)
        {
            var (values, gradient, gradientTensor) = buffers[i];
            using (var cpu = weights[i].detach().cpu().contiguous())
            using (var source = cpu.data<float>())
                source.CopyTo(values, 0, 0);
            Array.Clear(gradient);
            MixtureGradients.Accumulate(values, state.Means, state.LogPrecisions, state.LogProportions, gradient, (float)scale, sums);
            using (var target = gradientTensor.data<float>()) target.CopyFrom(gradient, 0, 0);
            var g = gradientTensor.device_type == weights[i].device_type ? gradientTensor : gradientTensor.to(weights[i].device);
            total = total + (g * weights[i]).sum();
        }
        var rho = LogProportions.detach().to(float64).cpu().data<double>().ToArray();
        var gMean = sums.MeanGradient(state.LogPrecisions).Skip(1).Select(g => (float)(scale * g)).ToArray();
        var gGamma = sums.LogPrecisionGradient(state.LogPrecisions).Select(g => (float)(scale * g)).ToArray();
        var gRho = sums.LogProportionGradient(rho).Select(g => (float)(scale * g)).ToArray();
        total = total
            + (tensor(gMean, device: Means.device) * Means).sum()
            + (tensor(gGamma, device: LogPrecisions.device) * LogPrecisions).sum()
            + (tensor(gRho, device: LogProportions.device) * LogProportions).sum();
        surrogate = total.MoveToOuterDisposeScope();
        return sums.NegativeLogLikelihood;
    }

    // Buffers of the fused pass, reused from step to step: allocating ~1 MB arrays every step kept the
    // garbage collector busy, and TorchSharp 0.107 does not keep a Scalar argument alive across its native
    // call (e.g. Adam's addcmul_ value), so a collection during that call can free it ("Expected false to be
    // true" from c10::Scalar::toFloat, seen here). Fewer collections make that rarer; TrainingGuard recovers.
    List<(float[] Values, float[] Gradient, Tensor GradientTensor)> workspace = [];

    List<(float[] Values, float[] Gradient, Tensor GradientTensor)> Workspace(IReadOnlyList<Tensor> weights)
    {
        bool fits = workspace.Count == weights.Count;
        for (int i = 0; fits && i < weights.Count; i++) fits = workspace[i].Values.LongLength == weights[i].numel();
        if (fits) return workspace;
        foreach (var (_, _, t) in workspace) t.Dispose();
        workspace = weights.Select(w =>
        {
            var t = zeros(w.shape, dtype: float32);
            t.DetachFromDisposeScope();
            return (new float[w.numel()], new float[w.numel()], t);
        }).ToList();
        return workspace;
    }

    /// <summary>The current values as plain numbers (J entries each, component 0 first).</summary>
    public MixtureState State()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var means = AllMeans().to(float64).cpu().data<double>().ToArray();
        var gamma = LogPrecisions.to(float64).cpu().data<double>().ToArray();
        var logPi = LogMixingProportions().to(float64).cpu().data<double>().ToArray();
        // log pi_0 exactly, not its float32 rounding
        logPi[0] = Math.Log(Settings.ZeroProportion);
        return new MixtureState(means, gamma, logPi);
    }

    public void Dispose()
    {
        foreach (var (_, _, t) in workspace) t.Dispose();
        Means.Dispose();
        LogPrecisions.Dispose();
        LogProportions.Dispose();
    }
}
