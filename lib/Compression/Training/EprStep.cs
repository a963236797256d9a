// One EPR optimisation step: straight-through rounded forward pass, cross-entropy, relaxed rate, one update
// of each optimizer, one EMA update. Shared by the trainer and the step benchmark. The paper's "network"
// optimizer is split in two Adams with their own learning rates, one for the latents (in quantisation steps)
// and one for the decoders (log-scale and shift, in parameter units); the densities have the third.
using Compression.Reparameterization;
using Compression.Probability;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Training;

/// <summary>Adam learning rates of the three kinds of variables.</summary>
public sealed record LearningRates(double Latents = 1e-3, double Decoders = 1e-3, double Densities = 1e-4);

public sealed class EprStep : IDisposable
{
    readonly (Adam Optimizer, double Rate)[] optimizers;

    public ReparameterizedNetwork Network { get; }
    public ExponentialMovingAverage Ema { get; }
    public IReadOnlyList<Tensor> Variables { get; }
    public RateEvaluation Rate { get; }

    public EprStep(ReparameterizedNetwork network, LearningRates rates, double emaDecay, RateEvaluation rate)
    {
        Network = network;
        Rate = rate;
        optimizers =
        [
            (optim.Adam(network.LatentVariables, lr: rates.Latents), rates.Latents),
            (optim.Adam(network.DecoderVariables, lr: rates.Decoders), rates.Decoders),
            (optim.Adam(network.DensityVariables, lr: rates.Densities), rates.Densities),
        ];
        Variables = network.AllVariables.Cast<Tensor>().ToList();
        Ema = new ExponentialMovingAverage(Variables, emaDecay);
    }

    /// <summary>Scales every learning rate relative to its initial value (for a decay schedule).</summary>
    public void SetLearningRateFactor(double factor)
    {
        foreach (var (optimizer, rate) in optimizers)
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate * factor;
    }

    /// <summary>Tensors a checkpoint must hold: the variables and their averages.</summary>
    public IReadOnlyList<Tensor> CheckpointTensors => [.. Variables, .. Ema.Averages];
    public IReadOnlyList<OptimizerHelper> Optimizers => optimizers.Select(o => (OptimizerHelper)o.Optimizer).ToList();

    /// <summary>One update on a minibatch; returns the batch cross-entropy (nats) and the rate (bits).</summary>
    public (double CrossEntropy, double RateBits) Run(Tensor images, Tensor labels, double lambdaPerBit)
    {
        using var scope = NewDisposeScope();
        var parameters = Network.DecodeParameters(quantize: true);
        var crossEntropy = F.cross_entropy(Network.Architecture.Forward(images, parameters), labels);
        var bits = Network.RateBits(Rate);
        var loss = crossEntropy + bits * lambdaPerBit;
        foreach (var (optimizer, _) in optimizers) optimizer.zero_grad();
        loss.backward();
        foreach (var (optimizer, _) in optimizers) optimizer.step();
        Ema.Update();
        return (crossEntropy.item<float>(), bits.item<float>());
    }

    public void Dispose()
    {
        Ema.Dispose();
        foreach (var (optimizer, _) in optimizers) optimizer.Dispose();
    }
}
