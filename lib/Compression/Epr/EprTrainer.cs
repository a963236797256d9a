// EPR training (section 2.3 and 3.1): EprStep repeated over seeded minibatches, a learning-rate schedule, periodic
// test error of the rounded (EMA) network, curves, resumable checkpoints keyed by the run's settings, and a retry
// from the last checkpoint when libtorch fails sporadically.
using System.Diagnostics;
using Compression.Data;
using Compression.Grouping;
using Compression.Models;
using Compression.Training;
using static TorchSharp.torch;

namespace Compression.Epr;

/// <summary>A trained network holding the EMA values of its variables (when averaged), ready to be compressed.</summary>
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
    sealed record Note(long EmaUpdates, double WallSeconds, string History);

    /// <summary>
    /// Trains <paramref name="architecture"/> on <paramref name="data"/> (limited to the options' TrainLimit), grouped by
    /// the options' rules, from <paramref name="initial"/> values or a fresh initialisation. Checkpoints go to
    /// <paramref name="checkpointDirectory"/> (none when null) under a name keyed by the options; a finished training
    /// deletes its checkpoint only when asked (the caller decides when its result is safe).
    /// </summary>
    public static EprTrainingResult Train(Architecture architecture, IDataset data, EprOptions options, Device device,
        string? checkpointDirectory = null, TextWriter? log = null, NetworkValues? initial = null)
    {
        log ??= TextWriter.Null;
        var train = DatasetView.Limit(data, options.TrainLimit, null);
        var plan = options.GroupingOrDefault.For(architecture);
        string? checkpointPath = checkpointDirectory is null ? null
            : Checkpoint.PathFor(checkpointDirectory, $"epr-{architecture.Id}", options.Fingerprint(architecture.Id, train.TrainCount));
        return NativeFailures.Retry(() => TrainOnce(plan, train, data, options, device, checkpointPath, log, initial), checkpointPath, log);
    }

    static EprTrainingResult TrainOnce(GroupPlan plan, IDataset train, IDataset test, EprOptions options, Device device, string? checkpointPath,
        TextWriter log, NetworkValues? initial)
    {
        var architecture = plan.Architecture;
        Devices.Seed(options.Seed, options.Threads);
        if (architecture.HasConvolutions) ConvolutionCheck.EnsureAccurate(device);
        ReparameterizedNetwork network;
        using (var init = NewDisposeScope())
        {
            using var start = initial?.Copy(device) ?? architecture.NewNetwork(device);
            network = ReparameterizedNetwork.Create(plan, start, options.Initialization, device);
        }
        try
        {
            return Loop(network, train, test, options, device, checkpointPath, log);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    static EprTrainingResult Loop(ReparameterizedNetwork network, IDataset train, IDataset test, EprOptions options, Device device, string? checkpointPath, TextWriter log)
    {
        var architecture = network.Architecture;
        double perBit = options.Lambda / train.TrainCount;
        using var stepper = new EprStep(network, options, perBit);
        if (options.ConcurrentRate) log.WriteLine("the rate term runs on a second thread beside the network (the same bits as on one)");
        var ema = stepper.Ema;
        var history = new EprHistory();
        long step = 0;
        double previousWall = 0;
        var checkpoint = checkpointPath is null ? null
            : new Checkpoint(checkpointPath, options.Fingerprint(architecture.Id, train.TrainCount), stepper.CheckpointTensors, stepper.Optimizers);
        if (checkpoint?.Resume<Note>() is { } resumed)
        {
            step = resumed.Step;
            if (ema != null) ema.Updates = resumed.Note.EmaUpdates;
            previousWall = resumed.Note.WallSeconds;
            history = EprHistory.FromJson(resumed.Note.History);
            log.WriteLine($"resumed at step {step:N0} of {options.Steps:N0} from {checkpoint.Path}");
        }

        var sampler = new BatchSampler(train.TrainCount, options.BatchSize, options.Seed);
        var progress = new Progress(options.Steps, log, examplesPerStep: options.BatchSize);
        var clock = Stopwatch.StartNew();
        double ceSum = 0, bitsSum = 0; int window = 0;
        double lastError = double.NaN, lastLiveError = double.NaN;
        while (step < options.Steps)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(StepSeed(options.Seed, step));
                var (inputs, labels) = sampler.BatchAt(train, step, device);
                stepper.SetLearningRateFactor(options.LearningRateFactor(step));
                var (ce, bits) = stepper.Run(inputs, labels);
                ceSum += ce;
                bitsSum += bits;
                window++;
            }
            step++;
            bool evaluate = step % options.EvaluateEvery == 0 || step == options.Steps;
            if (evaluate)
            {
                lastLiveError = QuantizedError(network, test, options.EvaluationLimit);
                lastError = ema is null ? lastLiveError : QuantizedError(network, ema, test, options.EvaluationLimit);
            }
            if (step % options.LogEvery == 0 || evaluate)
            {
                double ce = ceSum / window, b = bitsSum / window;
                history.Rows.Add(new HistoryRow(step, ce, b, ce + b * perBit, evaluate ? lastError : double.NaN, evaluate ? lastLiveError : double.NaN));
                ceSum = bitsSum = 0; window = 0;
                var metrics = new Dictionary<string, double> { ["ce"] = ce, ["rate_kB"] = b / 8000, ["test_err"] = lastError, ["live_err"] = lastLiveError };
                foreach (var g in network.Groups)
                    if (g.Decoder is ScalarAffineDecoder d) metrics[$"step[{g.Name}]"] = Math.Exp(d.LogScale.detach().cpu().item<float>());
                progress.Report(step, metrics);
            }
            if (checkpoint != null && step % options.CheckpointEvery == 0 && step < options.Steps)
                checkpoint.Save(step, new Note(ema?.Updates ?? 0, previousWall + clock.Elapsed.TotalSeconds, history.ToJson()));
        }
        double wall = previousWall + clock.Elapsed.TotalSeconds;
        ema?.CopyToVariables();
        return new EprTrainingResult(network, history, step, wall, device.type.ToString().ToLowerInvariant(), train.TrainCount);
    }

    /// <summary>Test error of the rounded network with the EMA values swapped in.</summary>
    public static double QuantizedError(ReparameterizedNetwork network, ExponentialMovingAverage ema, IDataset test, int? limit = null)
    {
        using var swap = ema.SwapIn();
        return QuantizedError(network, test, limit);
    }

    /// <summary>Test error of the rounded network as it stands (evaluation mode, on its device).</summary>
    public static double QuantizedError(ReparameterizedNetwork network, IDataset test, int? limit = null)
    {
        using var scope = NewDisposeScope();
        using var no = no_grad();
        return Evaluation.Error(network.Values(quantize: true), test, limit);
    }

    /// <summary>Every step draws its noise from its own seed, so a resumed run repeats an uninterrupted one.</summary>
    static long StepSeed(long seed, long step) => unchecked(seed * 0x5DEECE66DL + step * 0x9E3779B97F4A7C1L) & long.MaxValue;
}
