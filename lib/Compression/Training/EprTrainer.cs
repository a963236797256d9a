// EPR training (section 2.3 and 3.1): minibatch cross-entropy of the straight-through rounded network plus
// lambda times the relaxed rate, two Adam optimizers (latents and decoders at 1e-3, densities at 1e-4),
// an EMA of all variables, periodic test error of the rounded EMA model, resumable checkpoints.
using System.Diagnostics;
using System.Text.Json;
using Compression.Data;
using Compression.Models;
using Compression.Reparameterization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Training;

/// <summary>A trained network holding the EMA values of its variables, ready to be compressed.</summary>
public sealed class EprTrainingResult(ReparameterizedNetwork network, EprHistory history, long steps, double wallSeconds, string device, int trainCount) : IDisposable
{
    public ReparameterizedNetwork Network { get; } = network;
    public EprHistory History { get; } = history;
    public long Steps { get; } = steps;
    public double WallSeconds { get; } = wallSeconds;
    public string Device { get; } = device;
    /// <summary>Training examples used (N_train of the rate normalisation).</summary>
    public int TrainCount { get; } = trainCount;

    public void Dispose() => Network.Dispose();
}

public static class EprTrainer
{
    sealed record Note(long Step, long EmaUpdates, double WallSeconds, string Fingerprint, string History);

    /// <summary>Loads MNIST from <paramref name="dataDir"/> (respecting the settings' limits) and trains.</summary>
    public static EprTrainingResult Train(EprSettings settings, string dataDir, string? checkpointPath = null, TextWriter? log = null)
    {
        var device = Devices.Choose(settings.Device);
        using var train = MnistTensors.Load(dataDir, train: true, settings.TrainLimit, device);
        using var test = MnistTensors.Load(dataDir, train: false, settings.TestLimit, device);
        return NativeFailures.Retry(() => Train(settings, train, test, checkpointPath, log), checkpointPath, log ?? Console.Out);
    }

    /// <summary>Trains on <paramref name="train"/>, evaluating on <paramref name="test"/> every EvaluateEvery steps.</summary>
    public static EprTrainingResult Train(EprSettings settings, MnistTensors train, MnistTensors test, string? checkpointPath = null, TextWriter? log = null)
    {
        log ??= Console.Out;
        var device = train.Images.device;
        Devices.Seed(settings.Seed, settings.Threads);
        var architecture = Architecture.ById(settings.Model);
        ConvolutionCheck.EnsureAccurateFor(architecture, device);
        ReparameterizedNetwork network;
        using (var init = NewDisposeScope())
            network = ReparameterizedNetwork.Create(architecture, settings.Groups(architecture), architecture.Initialize(device), settings.Initialization, device);

        using var stepper = new EprStep(network, settings.LearningRates, settings.EmaDecay, settings.Rate);
        var ema = stepper.Ema;
        var history = new EprHistory();
        long step = 0;
        double previousWall = 0;
        string fingerprint = Fingerprint(settings);

        var checkpointTensors = stepper.CheckpointTensors;
        var optimizers = stepper.Optimizers;
        if (checkpointPath != null && Checkpoint.TryLoad(checkpointPath, checkpointTensors, optimizers) is { } state)
        {
            var note = JsonSerializer.Deserialize<Note>(state.Note) ?? throw new InvalidDataException("checkpoint note missing");
            if (note.Fingerprint != fingerprint)
                throw new InvalidDataException($"{checkpointPath} belongs to another run ({note.Fingerprint}); delete it to start over");
            step = state.Step; ema.Updates = note.EmaUpdates; previousWall = note.WallSeconds;
            history = EprHistory.FromJson(note.History);
            log.WriteLine($"resumed {settings.Model} at step {step} from {checkpointPath}");
        }

        double perExample = settings.Lambda / train.Count;
        var sampler = new BatchSampler(train.Count, settings.BatchSize, settings.Seed);
        var progress = new Progress(settings.Steps, log);
        var clock = Stopwatch.StartNew();
        double ceSum = 0, bitsSum = 0; int window = 0;
        double lastError = double.NaN, lastLiveError = double.NaN;
        while (step < settings.Steps)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(StepSeed(settings.Seed, step));
                var (images, labels) = sampler.BatchAt(train, step);
                stepper.SetLearningRateFactor(settings.LearningRateFactor(step));
                var (ce, bits) = stepper.Run(images, labels, perExample);
                ceSum += ce;
                bitsSum += bits;
                window++;
            }
            step++;
            bool evaluate = step % settings.EvaluateEvery == 0 || step == settings.Steps;
            if (evaluate)
            {
                lastLiveError = QuantizedError(network, test);
                lastError = QuantizedError(network, ema, test);
            }
            if (step % settings.LogEvery == 0 || evaluate)
            {
                double ce = ceSum / window, b = bitsSum / window;
                history.Rows.Add(new HistoryRow(step, ce, b, ce + b * perExample, evaluate ? lastError : double.NaN, evaluate ? lastLiveError : double.NaN));
                ceSum = bitsSum = 0; window = 0;
                var metrics = new Dictionary<string, double> { ["ce"] = ce, ["rate_kB"] = b / 8000, ["test_err"] = lastError, ["live_err"] = lastLiveError };
                foreach (var g in network.Groups)
                    if (g.Decoder is ScalarAffineDecoder d) metrics[$"step[{g.Name}]"] = Math.Exp(d.LogScale.detach().cpu().item<float>());
                progress.Report(step, metrics);
            }
            if (checkpointPath != null && (step % settings.CheckpointEvery == 0) && step < settings.Steps)
            {
                var note = new Note(step, ema.Updates, previousWall + clock.Elapsed.TotalSeconds, fingerprint, history.ToJson());
                Checkpoint.Save(checkpointPath, step, JsonSerializer.Serialize(note), checkpointTensors, optimizers);
            }
        }
        double wall = previousWall + clock.Elapsed.TotalSeconds;
        ema.CopyToVariables();
        return new EprTrainingResult(network, history, step, wall, device.ToString(), train.Count);
    }

    /// <summary>Test error of the rounded network with the EMA values swapped in.</summary>
    public static double QuantizedError(ReparameterizedNetwork network, ExponentialMovingAverage ema, MnistTensors test)
    {
        using var swap = ema.SwapIn();
        return QuantizedError(network, test);
    }

    /// <summary>Test error of the rounded network as it stands.</summary>
    public static double QuantizedError(ReparameterizedNetwork network, MnistTensors test)
    {
        using var scope = NewDisposeScope();
        using var no = no_grad();
        var parameters = network.DecodeParameters(quantize: true);
        return Evaluation.Error(x => network.Architecture.Forward(x, parameters), test);
    }

    /// <summary>Every step draws its noise from its own seed, so a resumed run repeats an uninterrupted one.</summary>
    static long StepSeed(long seed, long step) => unchecked(seed * 0x5DEECE66DL + step * 0x9E3779B97F4A7C1L) & long.MaxValue;

    static string Fingerprint(EprSettings s) =>
        $"{s.Model}|{s.Grouping}|lambda={s.Lambda:R}|seed={s.Seed}|steps={s.Steps}|batch={s.BatchSize}|lr={s.LearningRates}|decay={s.DecayFraction:R},{s.FinalLearningRateFactor:R}|train={s.TrainLimit}|init={s.Initialization}";
}
