// Fine-tuning of the shared values after post-processing (an addition to the paper, taken from Han et al.'s
// "Deep Compression", section 3.3, where the shared weights of a quantised network are trained further): every
// weight stays assigned to its component, and only the codebook's means (the zero component stays exactly 0)
// and the tensors kept as float32 are trained on the cross-entropy. The gradient of a mean is the sum of the
// gradients of the weights that share it. The file's assignments, tables and size are unchanged; the means it
// stores are the tuned ones.
using System.Diagnostics;
using Compression.Data;
using Compression.Models;
using Compression.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.SoftWeightSharing;

/// <summary>Schedule of <see cref="MeanFineTuning"/>. Steps = 0 turns the step off (the paper's post-processing alone).</summary>
public sealed record MeanFineTuningSettings
{
    public long Steps { get; init; }

    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate for the means (and the float32 tensors).</summary>
    public double LearningRate { get; init; } = 1e-4;
}

public sealed record MeanFineTuningResult(QuantizedNetwork Network, IReadOnlyList<CurvePoint> Curve, double WallSeconds);

public static class MeanFineTuning
{
    /// <summary>
    /// Trains the non-zero means of <paramref name="network"/>'s codebook (and its float32 tensors) with Adam for
    /// <see cref="MeanFineTuningSettings.Steps"/> minibatches, assignments fixed. Returns a new network; the input
    /// is not changed. The caller seeds libtorch; batches are drawn with <paramref name="seed"/>.
    /// </summary>
    public static MeanFineTuningResult Run(QuantizedNetwork network, IDataset train, MeanFineTuningSettings settings, long seed, Device device, TextWriter? log = null)
    {
        if (settings.Steps < 0) throw new ArgumentOutOfRangeException(nameof(settings), "fine-tuning steps must be >= 0");
        if (network.Codebook.Length == 0 || network.Codebook[0] != 0f)
            throw new ArgumentException("the codebook must start with the zero component (mean exactly 0)", nameof(network));
        var clock = Stopwatch.StartNew();
        var arch = network.Architecture;
        var curve = new List<CurvePoint>();
        if (settings.Steps == 0) return new MeanFineTuningResult(network, curve, 0);

        using var free = new Parameter(tensor(network.Codebook[1..], device: device), requires_grad: true);
        using var zero = zeros(1, device: device);
        var state = network.State.Select((v, i) => tensor(v, arch.State[i].Shape, device: device)).ToList();
        var indices = new Tensor?[arch.Parameters.Count];
        var floats = new Parameter?[arch.Parameters.Count];
        for (int i = 0; i < arch.Parameters.Count; i++)
        {
            if (network.Assignments[i] is { } a) indices[i] = tensor(a.Select(c => (long)c).ToArray(), device: device);
            else floats[i] = new Parameter(tensor(network.Floats[i]!, arch.Parameters[i].Shape, device: device), requires_grad: true);
        }
        var trained = new List<Parameter> { free };
        trained.AddRange(floats.OfType<Parameter>());
        var optimizer = optim.Adam(trained, lr: settings.LearningRate);
        var sampler = new BatchSampler(train.TrainCount, settings.BatchSize, seed * 104729 + 3);
        var progress = new Progress(settings.Steps, log ?? TextWriter.Null);
        long recordEvery = Math.Max(1, Math.Min(sampler.BatchesPerEpoch, settings.Steps / 10));
        double sum = 0;
        long counted = 0;
        try
        {
            for (long step = 0; step < settings.Steps; step++)
            {
                using (NewDisposeScope())
                {
                    var codebook = cat([zero, free]);
                    var parameters = Enumerable.Range(0, arch.Parameters.Count)
                        .Select(i => indices[i] is { } idx ? codebook.index_select(0, idx).reshape(arch.Parameters[i].Shape) : (Tensor)floats[i]!)
                        .ToList();
                    var (x, y) = sampler.BatchAt(train, step, device);
                    optimizer.zero_grad();
                    var loss = F.cross_entropy(arch.Forward(x, new NetworkValues(arch, parameters, state, owns: false), training: true), y);
                    loss.backward();
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"mean fine-tuning: non-finite loss at step {step}; lower the learning rate");
                    optimizer.step();
                    sum += value;
                    counted++;
                }
                long done = step + 1;
                if (done % recordEvery == 0 || done == settings.Steps)
                {
                    curve.Add(new CurvePoint(done, sum / counted));
                    progress.Report(done, new Dictionary<string, double> { ["ce"] = sum / counted });
                    sum = 0;
                    counted = 0;
                }
            }
            var means = new float[network.Codebook.Length];
            PostProcessing.ToFloats(free).CopyTo(means, 1);
            var tunedFloats = floats.Select(p => p is null ? null : PostProcessing.ToFloats(p)).ToList();
            var mixture = network.Mixture with { Means = means.Select(m => (double)m).ToArray() };
            var assignments = network.Assignments.Select(a => a?.ToArray()).ToList();
            var tunedState = state.Select(PostProcessing.ToFloats).ToList();
            return new MeanFineTuningResult(new QuantizedNetwork(arch, means, assignments, tunedFloats, mixture, tunedState), curve, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var t in indices) t?.Dispose();
            foreach (var p in floats) p?.Dispose();
            foreach (var t in state) t.Dispose();
        }
    }
}
