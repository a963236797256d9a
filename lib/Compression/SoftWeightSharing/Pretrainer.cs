// Training of the reference network that soft weight-sharing starts from: plain Adam on the cross-entropy,
// resumable from checkpoints keyed by the settings. (A network trained elsewhere can be passed instead: see
// SoftWeightSharingMethod and MethodContext.Initial.)
using System.Diagnostics;
using Compression.Data;
using Compression.Models;
using Compression.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.SoftWeightSharing;

/// <summary>Mean training cross-entropy over the steps since the previous point.</summary>
public sealed record CurvePoint(long Step, double CrossEntropy, double? TestError = null);

/// <param name="Network">The trained values (parameters and state), detached, on the training device.</param>
/// <param name="SkippedSteps">Steps skipped for a non-finite loss or gradient, and <paramref name="Rollbacks"/> returns to a
/// snapshot after non-finite weights, in this process (see TrainingGuard).</param>
public sealed record PretrainResult(NetworkValues Network, IReadOnlyList<CurvePoint> Curve, long Steps, double TestError, double WallSeconds,
    int SkippedSteps = 0, int Rollbacks = 0);

public static class Pretrainer
{
    sealed record Note(double WallSeconds, List<CurvePoint> Curve);

    /// <summary>Identifies the run a checkpoint belongs to: architecture, schedule, seed, training-set size.</summary>
    public static string Fingerprint(Architecture architecture, PretrainSettings settings, long seed, int trainCount) =>
        $"pretrain|{architecture.Id}|steps={settings.Steps}|batch={settings.BatchSize}|lr={settings.LearningRate:R}|seed={seed}|n={trainCount}";

    /// <summary>
    /// Trains <paramref name="architecture"/> from a seeded initialisation on <paramref name="data"/>, or resumes it from a
    /// checkpoint in <paramref name="checkpointDirectory"/> (none when null). The caller seeds libtorch first.
    /// </summary>
    public static PretrainResult Run(Architecture architecture, IDataset data, PretrainSettings settings, long seed, Device device,
        string? checkpointDirectory = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var clock = Stopwatch.StartNew();
        string fingerprint = Fingerprint(architecture, settings, seed, data.TrainCount);
        using var initial = architecture.NewNetwork(device);
        var parameters = initial.Parameters.Select(t => new Parameter(t.detach().clone(), requires_grad: true)).ToList();
        var state = initial.State.Select(s => s.detach().clone()).ToList();
        var network = new NetworkValues(architecture, parameters, state);
        var optimizer = optim.Adam(parameters, lr: settings.LearningRate);
        var tensors = parameters.Cast<Tensor>().Concat(state).ToList();
        var checkpoint = checkpointDirectory is null ? null
            : new Checkpoint(Checkpoint.PathFor(checkpointDirectory, $"pretrain-{architecture.Id}", fingerprint), fingerprint, tensors, [optimizer]);
        var curve = new List<CurvePoint>();
        long start = 0;
        double previousWall = 0;
        if (checkpoint?.Resume<Note>() is { } resumed)
        {
            curve.AddRange(resumed.Note.Curve);
            start = resumed.Step;
            previousWall = resumed.Note.WallSeconds;
            log.WriteLine(start >= settings.Steps ? $"pretrained {architecture.DisplayName} loaded from {checkpoint.Path}" : $"pretraining resumes at step {start:N0} from {checkpoint.Path}");
        }

        var sampler = new BatchSampler(data.TrainCount, settings.BatchSize, seed);
        var progress = new Progress(settings.Steps, log);
        long recordEvery = Math.Max(1, sampler.BatchesPerEpoch);
        double sum = 0;
        long counted = 0;
        var guard = new TrainingGuard(tensors, [optimizer], log);
        for (long step = start; step < settings.Steps; step++)
        {
            guard.BeforeStep(step);
            using (var scope = NewDisposeScope())
            {
                var (x, y) = sampler.BatchAt(data, step, device);
                optimizer.zero_grad();
                var loss = F.cross_entropy(architecture.Forward(x, network, training: true), y);
                loss.backward();
                float value = loss.item<float>();
                if (guard.GradientsFinite(value, step))
                {
                    if (guard.Step(step) is long restart)
                    {
                        curve.RemoveAll(c => c.Step > restart);
                        sum = 0;
                        counted = 0;
                        step = restart - 1;
                        continue;
                    }
                    sum += value;
                    counted++;
                }
            }
            long done = step + 1;
            bool last = done == settings.Steps;
            if (done % recordEvery == 0 || last)
            {
                double? error = last || done % (10 * recordEvery) == 0 ? Evaluation.Error(network, data) : null;
                curve.Add(new CurvePoint(done, sum / Math.Max(1, counted), error));
                sum = 0;
                counted = 0;
                progress.Report(done, new Dictionary<string, double> { ["ce"] = curve[^1].CrossEntropy }, force: error != null);
            }
            if (checkpoint != null && (done % settings.CheckpointEvery == 0 || last))
                checkpoint.Save(done, new Note(previousWall + clock.Elapsed.TotalSeconds, curve));
        }
        double testError = Evaluation.Error(network, data);
        log.WriteLine($"pretrained {architecture.DisplayName}: {settings.Steps:N0} steps, test error {testError:P2}");
        var result = network.Copy(device);
        network.Dispose();
        (optimizer as IDisposable)?.Dispose();
        return new PretrainResult(result, curve, settings.Steps, testError, previousWall + clock.Elapsed.TotalSeconds, guard.SkippedSteps, guard.Rollbacks);
    }
}
