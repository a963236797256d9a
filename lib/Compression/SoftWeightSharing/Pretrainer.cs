// Training of the reference network that soft weight-sharing starts from: plain Adam on the
// cross-entropy, resumable from checkpoints. A finished run's checkpoint doubles as the cache of the
// pretrained network, so later experiments load it instead of training again.
using System.Diagnostics;
using System.Text.Json;
using Compression.Data;
using Compression.Models;
using Compression.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.SoftWeightSharing;

/// <summary>Mean training cross-entropy over the steps since the previous point.</summary>
public sealed record CurvePoint(long Step, double CrossEntropy, double? TestError = null);

/// <param name="SkippedSteps">Steps skipped for a non-finite loss or gradient, and <paramref name="Rollbacks"/> returns to a
/// snapshot after non-finite weights, in this process (see TrainingGuard).</param>
public sealed record PretrainResult(
    IReadOnlyList<Tensor> Parameters, IReadOnlyList<CurvePoint> Curve, long Steps, double TestError, double WallSeconds, bool FromCache,
    int SkippedSteps = 0, int Rollbacks = 0);

public static class Pretrainer
{
    sealed record Note(string Fingerprint, bool Done, double WallSeconds, List<CurvePoint> Curve);

    /// <summary>Identifies the run a checkpoint belongs to: architecture, schedule, seed, training-set size.</summary>
    public static string Fingerprint(Architecture architecture, PretrainSettings settings, long seed, int trainCount) =>
        $"{architecture.Id}|steps={settings.Steps}|batch={settings.BatchSize}|lr={settings.LearningRate:R}|seed={seed}|n={trainCount}";

    /// <summary>
    /// Trains <paramref name="architecture"/> from a seeded initialisation, or resumes it from
    /// <paramref name="checkpointPath"/>; a checkpoint of the finished run is returned without training.
    /// The caller seeds libtorch (<see cref="Devices.Seed"/>) before the call.
    /// </summary>
    public static PretrainResult Run(Architecture architecture, MnistTensors train, MnistTensors test, PretrainSettings settings,
        long seed, string? checkpointPath = null, TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var device = train.Images.device;
        string fingerprint = Fingerprint(architecture, settings, seed, train.Count);
        var parameters = architecture.Initialize(device).Select(t => new Parameter(t, requires_grad: true)).ToList();
        var optimizer = optim.Adam(parameters, lr: settings.LearningRate);
        var curve = new List<CurvePoint>();
        long start = 0;
        double previousWall = 0;

        if (checkpointPath != null && Checkpoint.TryLoad(checkpointPath, parameters, [optimizer]) is { } state)
        {
            var note = JsonSerializer.Deserialize<Note>(state.Note) ?? throw new InvalidDataException($"{checkpointPath}: empty note");
            if (note.Fingerprint != fingerprint)
                throw new InvalidDataException($"{checkpointPath} belongs to another run ({note.Fingerprint}, this one is {fingerprint}); delete it or change the path");
            curve.AddRange(note.Curve);
            start = state.Step;
            previousWall = note.WallSeconds;
            if (note.Done)
            {
                double cachedError = Evaluate(architecture, parameters, test);
                log?.WriteLine($"pretrained {architecture.DisplayName} loaded from {checkpointPath} (step {start}, test error {cachedError:P2})");
                return new PretrainResult(Detach(parameters), curve, start, cachedError, note.WallSeconds, FromCache: true);
            }
            log?.WriteLine($"pretraining resumes at step {start} from {checkpointPath}");
        }

        var sampler = new BatchSampler(train.Count, settings.BatchSize, seed);
        var progress = new Progress(settings.Steps, log ?? TextWriter.Null);
        long recordEvery = Math.Max(1, sampler.BatchesPerEpoch);
        double sum = 0;
        long counted = 0;
        var guard = new TrainingGuard(parameters, [optimizer], log);
        for (long step = start; step < settings.Steps; step++)
        {
            guard.BeforeStep(step);
            using (var scope = NewDisposeScope())
            {
                var (x, y) = sampler.BatchAt(train, step);
                optimizer.zero_grad();
                var loss = F.cross_entropy(architecture.Forward(x, parameters), y);
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
                double? error = last || done % (10 * recordEvery) == 0 ? Evaluate(architecture, parameters, test) : null;
                curve.Add(new CurvePoint(done, sum / Math.Max(1, counted), error));
                sum = 0;
                counted = 0;
                progress.Report(done, new Dictionary<string, double> { ["ce"] = curve[^1].CrossEntropy }, force: error != null);
            }
            if (checkpointPath != null && (done % settings.CheckpointEvery == 0 || last))
            {
                var note = new Note(fingerprint, last, previousWall + clock.Elapsed.TotalSeconds, curve);
                Checkpoint.Save(checkpointPath, done, JsonSerializer.Serialize(note), parameters, [optimizer]);
            }
        }
        double testError = Evaluate(architecture, parameters, test);
        log?.WriteLine($"pretrained {architecture.DisplayName}: {settings.Steps} steps, test error {testError:P2}");
        return new PretrainResult(Detach(parameters), curve, settings.Steps, testError, previousWall + clock.Elapsed.TotalSeconds, FromCache: false,
            guard.SkippedSteps, guard.Rollbacks);
    }

    public static double Evaluate(Architecture architecture, IReadOnlyList<Tensor> parameters, MnistTensors data) =>
        Evaluation.Error(x => architecture.Forward(x, parameters), data);

    static IReadOnlyList<Tensor> Detach(IReadOnlyList<Parameter> parameters) =>
        parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
}
