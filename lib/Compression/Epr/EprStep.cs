// One EPR optimisation step (eq. 7 and 8): the straight-through rounded network's minibatch cross-entropy plus
// lambda times the relaxed rate, one update of each optimizer, one EMA update. Shared by the trainer and the step
// benchmark. The paper's "network" optimizer is split by the units of what it moves: latents (quantisation
// steps), decoders and float32 parameters (parameter units); the densities have their own Adam.
using Compression.Probability;
using Compression.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Epr;

public sealed class EprStep : IDisposable
{
    readonly (OptimizerHelper Optimizer, double Rate)[] optimizers;
    readonly Tensor lambdaPerBit;

    public ReparameterizedNetwork Network { get; }
    /// <summary>The moving average of <see cref="Variables"/>, or null when the options turn it off.</summary>
    public ExponentialMovingAverage? Ema { get; }
    public IReadOnlyList<Tensor> Variables { get; }
    public RateEvaluation Rate { get; }

    /// <summary><paramref name="lambdaPerBit"/>: the weight of one bit of rate next to the mean cross-entropy (Lambda / N_train).</summary>
    public EprStep(ReparameterizedNetwork network, EprOptions options, double lambdaPerBit)
    {
        Network = network;
        Rate = options.Rate;
        var rates = options.LearningRates;
        OptimizerHelper Make(IReadOnlyList<Parameter> variables, double rate) => options.Optimizer == EprOptimizer.SgdMomentum
            ? optim.SGD(variables, rate, momentum: options.Momentum)
            : optim.Adam(variables, lr: rate);
        var list = new List<(OptimizerHelper, double)>
        {
            (Make(network.LatentVariables, rates.Latents), rates.Latents),
            (Make(network.DecoderVariables, rates.Decoders), rates.Decoders),
        };
        if (network.Float32.Count > 0) list.Add((Make(network.Float32Variables, rates.Float32), rates.Float32));
        list.Add((optim.Adam(network.DensityVariables, lr: rates.Densities), rates.Densities));
        optimizers = [.. list];
        Variables = network.AllVariables.Cast<Tensor>().ToList();
        Ema = options.UseEma ? new ExponentialMovingAverage(Variables, options.EmaDecay) : null;
        this.lambdaPerBit = tensor(lambdaPerBit, dtype: float32, device: network.LatentVariables.Count > 0 ? network.LatentVariables[0].device : CPU);
        this.lambdaPerBit.DetachFromDisposeScope();
    }

    /// <summary>Scales every learning rate relative to its initial value (for a schedule).</summary>
    public void SetLearningRateFactor(double factor)
    {
        foreach (var (optimizer, rate) in optimizers)
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate * factor;
    }

    /// <summary>Tensors a checkpoint must hold: the variables, their averages and the network's state.</summary>
    public IReadOnlyList<Tensor> CheckpointTensors => [.. Variables, .. Ema?.Averages ?? [], .. Network.State];
    public IReadOnlyList<OptimizerHelper> Optimizers => optimizers.Select(o => o.Optimizer).ToList();

    /// <summary>One update on a minibatch; returns the batch cross-entropy (nats) and the rate (bits).</summary>
    public (double CrossEntropy, double RateBits) Run(Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var values = Network.Values(quantize: true);
        var crossEntropy = F.cross_entropy(Network.Architecture.Forward(inputs, values, training: true), labels);
        var bits = Network.RateBits(Rate);
        var loss = crossEntropy + bits * lambdaPerBit;
        foreach (var (optimizer, _) in optimizers) optimizer.zero_grad();
        loss.backward();
        foreach (var (optimizer, _) in optimizers) optimizer.step();
        Ema?.Update();
        return (crossEntropy.item<float>(), bits.item<float>());
    }

    public void Dispose()
    {
        Ema?.Dispose();
        lambdaPerBit.Dispose();
        foreach (var (optimizer, _) in optimizers) (optimizer as IDisposable)?.Dispose();
    }
}
