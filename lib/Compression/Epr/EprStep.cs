// One EPR optimisation step (eq. 7 and 8): the straight-through rounded network's minibatch cross-entropy plus
// lambda times the relaxed rate, one update of each optimizer, one EMA update. Shared by the trainer and the step
// benchmark. The paper's "network" optimizer is split by the units of what it moves: latents (quantisation
// steps), decoders and float32 parameters (parameter units); the densities have their own Adam.
// With EprOptions.ConcurrentRate (CPU, fused rate) a second thread evaluates the groups' rates, forward and
// backward, while this one runs the network's forward and backward passes (and then takes the groups still left);
// then the latents' optimizer runs beside the others. The two sides share only the latents, whose gradient is the
// sum of the two sides' parts (in either order the same float sum), so a step gives the same bits as the sequential one.
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
    readonly bool fused, concurrent;
    readonly int threads;
    /// <summary>The groups in the order the concurrent step takes their rates: most latents first.</summary>
    readonly int[] rateQueue;

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
        fused = NoisyRate.Resolve(Rate, network.LatentVariables) == RateEvaluation.Fused;
        concurrent = options.ConcurrentRate;
        threads = get_num_threads();
        rateQueue = [.. Enumerable.Range(0, network.Groups.Count).OrderByDescending(i => network.Groups[i].LatentCount)];
        if (concurrent && !fused)
            throw new ArgumentException("ConcurrentRate needs the fused rate: float32 latents on the CPU and Rate Auto or Fused");
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
        // The fused rate's noise seeds come first, so a network whose forward pass draws random numbers sees the
        // same generator in both modes.
        var seeds = fused ? Network.DrawNoiseSeeds() : null;
        return concurrent ? RunConcurrently(inputs, labels, seeds!) : RunSequentially(inputs, labels, seeds);
    }

    /// <summary>The straight-through rounded network's minibatch cross-entropy (nats).</summary>
    Tensor CrossEntropy(Tensor inputs, Tensor labels) =>
        F.cross_entropy(Network.Architecture.Forward(inputs, Network.Values(quantize: true), training: true), labels);

    (double, double) RunSequentially(Tensor inputs, Tensor labels, IReadOnlyList<ulong>? seeds)
    {
        var crossEntropy = CrossEntropy(inputs, labels);
        var bits = Network.RateBits(Rate, noiseSeeds: seeds);
        var loss = crossEntropy + bits * lambdaPerBit;
        foreach (var (optimizer, _) in optimizers) optimizer.zero_grad();
        loss.backward();
        foreach (var (optimizer, _) in optimizers) optimizer.step();
        Ema?.Update();
        return (crossEntropy.item<float>(), bits.item<float>());
    }

    (double, double) RunConcurrently(Tensor inputs, Tensor labels, IReadOnlyList<ulong> seeds)
    {
        // Gradients are cleared before either thread's forward pass (nothing reads them before the backward passes).
        foreach (var (optimizer, _) in optimizers) optimizer.zero_grad();
        // The groups' rates wait in a queue, largest first: the second thread takes them from the start, this thread
        // after the network's forward and backward passes. Each group's rate depends on its own latents and density
        // only, and each receives d loss / d bits = lambdaPerBit as in the sequential loss, whoever evaluates it.
        var groups = Network.Groups;
        int taken = 0;
        var bits = new Tensor?[groups.Count];
        void TakeRates()
        {
            for (int k; (k = Interlocked.Increment(ref taken) - 1) < rateQueue.Length;)
            {
                int g = rateQueue[k];
                var b = bits[g] = groups[g].RateBits(RateEvaluation.Fused, noiseSeed: seeds[g]);
                b.DetachFromDisposeScope();
                (b * lambdaPerBit).backward();
            }
        }
        try
        {
            Tensor crossEntropy;
            var rates = OnSecondThread(TakeRates);
            try
            {
                crossEntropy = CrossEntropy(inputs, labels);
                crossEntropy.backward();
                TakeRates();
            }
            finally { Join(rates); }
            var latentStep = OnSecondThread(() => optimizers[0].Optimizer.step());
            try { for (int i = 1; i < optimizers.Length; i++) optimizers[i].Optimizer.step(); }
            finally { Join(latentStep); }
            Ema?.Update();
            using var no = no_grad();
            return (crossEntropy.item<float>(), ReparameterizedNetwork.TotalBits(bits.Select(b => b!)).item<float>());
        }
        finally { foreach (var b in bits) b?.Dispose(); }
    }

    /// <summary>
    /// Runs work on a pool thread inside its own dispose scope (TorchSharp's scopes are per thread), with this
    /// thread's libtorch thread count (OpenMP's is per thread: a pool thread would otherwise use every core).
    /// </summary>
    Task OnSecondThread(Action work) => Task.Run(() =>
    {
        if (get_num_threads() != threads) set_num_threads(threads);
        using var scope = NewDisposeScope();
        work();
    });

    static void Join(Task task) => task.GetAwaiter().GetResult();

    public void Dispose()
    {
        Ema?.Dispose();
        lambdaPerBit.Dispose();
        foreach (var (optimizer, _) in optimizers) (optimizer as IDisposable)?.Dispose();
    }
}
