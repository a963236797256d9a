// One EPR optimisation step: straight-through rounded forward pass, cross-entropy, relaxed rate, one update
// of each optimizer, one EMA update. Shared by the trainer and the step benchmark.
using Compression.Reparameterization;
using Compression.Probability;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Training;

public sealed class EprStep : IDisposable
{
    public ReparameterizedNetwork Network { get; }
    public Adam ModelOptimizer { get; }
    public Adam DensityOptimizer { get; }
    public ExponentialMovingAverage Ema { get; }
    public IReadOnlyList<Tensor> Variables { get; }
    public RateEvaluation Rate { get; }

    public EprStep(ReparameterizedNetwork network, double learningRate, double densityLearningRate, double emaDecay, RateEvaluation rate)
    {
        Network = network;
        Rate = rate;
        ModelOptimizer = optim.Adam(network.ModelVariables, lr: learningRate);
        DensityOptimizer = optim.Adam(network.DensityVariables, lr: densityLearningRate);
        Variables = network.AllVariables.Cast<Tensor>().ToList();
        Ema = new ExponentialMovingAverage(Variables, emaDecay);
    }

    /// <summary>Tensors a checkpoint must hold: the variables and their averages.</summary>
    public IReadOnlyList<Tensor> CheckpointTensors => [.. Variables, .. Ema.Averages];
    public IReadOnlyList<OptimizerHelper> Optimizers => [ModelOptimizer, DensityOptimizer];

    /// <summary>One update on a minibatch; returns the batch cross-entropy (nats) and the rate (bits).</summary>
    public (double CrossEntropy, double RateBits) Run(Tensor images, Tensor labels, double lambdaPerBit)
    {
        using var scope = NewDisposeScope();
        var parameters = Network.DecodeParameters(quantize: true);
        var crossEntropy = F.cross_entropy(Network.Architecture.Forward(images, parameters), labels);
        var bits = Network.RateBits(Rate);
        var loss = crossEntropy + bits * lambdaPerBit;
        ModelOptimizer.zero_grad();
        DensityOptimizer.zero_grad();
        loss.backward();
        ModelOptimizer.step();
        DensityOptimizer.step();
        Ema.Update();
        return (crossEntropy.item<float>(), bits.item<float>());
    }

    public void Dispose()
    {
        Ema.Dispose();
        ModelOptimizer.Dispose();
        DensityOptimizer.Dispose();
    }
}
