// Retraining with the empirical mixture prior (the paper's section 3, the tutorial's part 2):
//   loss = CE(minibatch) + (tau / N) (-sum_i log p(w_i) + sum_j (1 - alpha_j) gamma_j + beta_j lambda_j),
// minimised jointly over the network and the mixture with Adam and a learning rate per parameter type.
// Resumable from checkpoints (network, mixture, the four optimizers' states and the history so far).
using System.Diagnostics;
using Compression.Data;
using Compression.Models;
using Compression.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.SoftWeightSharing;

/// <param name="Network">The retrained values (parameters and state), detached, on the training device.</param>
public sealed record RetrainResult(NetworkValues Network, MixtureState Mixture, RetrainingHistory History,
    long Steps, double TestError, double WallSeconds, int SkippedSteps = 0, int Rollbacks = 0);

public static class Retrainer
{
    sealed record Note(double WallSeconds, string History);

    public static string Fingerprint(Architecture architecture, MixturePriorSettings prior, RetrainSettings settings, long seed, int trainCount) =>
        $"retrain|{architecture.Id}|{prior}|{settings}|seed={seed}|n={trainCount}";

    /// <summary>
    /// Retrains <paramref name="pretrained"/> with the mixture prior on <paramref name="data"/>, resuming from a checkpoint in
    /// <paramref name="checkpointDirectory"/> (none when null) whose name is keyed by the settings and by <paramref name="startKey"/>
    /// (what identifies the starting network).
    /// </summary>
    public static RetrainResult Run(NetworkValues pretrained, IDataset data, MixturePriorSettings priorSettings, RetrainSettings settings, long seed,
        Device device, string? checkpointDirectory = null, string startKey = "", TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var architecture = pretrained.Architecture;
        var parameters = pretrained.Parameters.Select(t => new Parameter(t.detach().clone().to(device), requires_grad: true)).ToList();
        var state = pretrained.State.Select(s => s.detach().clone().to(device)).ToList();
        var network = new NetworkValues(architecture, parameters, state);
        var priorIndices = PostProcessing.PriorIndices(architecture, priorSettings.BiasesInPrior).ToArray();
        var priorTensors = priorIndices.Select(i => (Tensor)parameters[i]).ToList();
        long priorCount = priorIndices.Sum(i => architecture.Parameters[i].Count);
        using var prior = GaussianMixturePrior.Create(priorSettings, device, priorTensors);
        var optimizers = new List<OptimizerHelper>
        {
            optim.Adam(parameters, lr: settings.WeightLearningRate),
            optim.Adam([prior.Means], lr: settings.MeanLearningRate),
            optim.Adam([prior.LogPrecisions], lr: settings.LogPrecisionLearningRate),
            optim.Adam([prior.LogProportions], lr: settings.LogProportionLearningRate),
        };
        double[] baseRates = [settings.WeightLearningRate, settings.MeanLearningRate, settings.LogPrecisionLearningRate, settings.LogProportionLearningRate];
        var saved = parameters.Cast<Tensor>().Concat(prior.TrainableTensors).Concat(state).ToList();
        var sampler = new BatchSampler(data.TrainCount, settings.BatchSize, seed);
        long historyEvery = settings.HistoryEvery > 0 ? settings.HistoryEvery : Math.Max(1, settings.Steps / 60);
        long testEvery = settings.TestEvery > 0 ? settings.TestEvery : sampler.BatchesPerEpoch;
        double n = settings.DatasetSize ?? data.TrainCount;
        string fingerprint = Fingerprint(architecture, priorSettings, settings, seed, data.TrainCount) + "|start=" + startKey;
        var checkpoint = checkpointDirectory is null ? null
            : new Checkpoint(Checkpoint.PathFor(checkpointDirectory, $"retrain-{architecture.Id}", fingerprint), fingerprint, saved, optimizers);

        var history = NewHistory(architecture, priorIndices, pretrained.Parameters, settings, seed);
        long start = 0;
        double previousWall = 0;
        if (checkpoint?.Resume<Note>() is { } resumed)
        {
            history = RetrainingHistory.FromJson(resumed.Note.History);
            start = resumed.Step;
            previousWall = resumed.Note.WallSeconds;
            log?.WriteLine(start >= settings.Steps ? $"retrained network loaded from {checkpoint.Path}" : $"retraining resumes at step {start:N0} from {checkpoint.Path}");
        }
        if (start == 0 && history.Snapshots.Count == 0) history.Snapshots.Add(Snapshot(0, 0, prior, priorTensors, history));

        var progress = new Progress(settings.Steps, log ?? TextWriter.Null);
        double sumCe = 0, sumComplexity = 0, sumLoss = 0;
        long counted = 0;
        var guard = new TrainingGuard(saved, optimizers, log);
        for (long step = start; step < settings.Steps; step++)
        {
            guard.BeforeStep(step);
            double tau = TauAt(settings, step);
            double rate = RateFactor(settings, step);
            for (int i = 0; i < optimizers.Count; i++)
                foreach (var group in optimizers[i].ParamGroups) group.LearningRate = baseRates[i] * rate;
            double nll;
            using (var scope = NewDisposeScope())
            {
                var (x, y) = sampler.BatchAt(data, step, device);
                foreach (var o in optimizers) o.zero_grad();
                var ce = F.cross_entropy(architecture.Forward(x, network, training: true), y);
                double scale = tau / n;
                if (settings.FusedPrior)
                {
                    nll = prior.FusedComplexity(priorTensors, scale, out var surrogate);
                    (ce + surrogate).backward();
                }
                else
                {
                    var negativeLogPrior = prior.NegativeLogLikelihood(priorTensors);
                    (ce + scale * (negativeLogPrior + prior.NegativeLogHyperprior())).backward();
                    nll = negativeLogPrior.item<float>();
                }
                double hyper;
                using (no_grad()) hyper = prior.NegativeLogHyperprior().item<float>();
                double ceValue = ce.item<float>(), complexity = scale * (nll + hyper);
                if (guard.GradientsFinite(ceValue + complexity, step))
                {
                    if (guard.Step(step) is long restart)
                    {
                        history.Losses.RemoveAll(r => r.Step > restart);
                        history.Snapshots.RemoveAll(r => r.Step > restart);
                        sumCe = sumComplexity = sumLoss = 0;
                        counted = 0;
                        step = restart - 1;
                        continue;
                    }
                    sumCe += ceValue;
                    sumComplexity += complexity;
                    sumLoss += ceValue + complexity;
                    counted++;
                }
            }
            long done = step + 1;
            bool last = done == settings.Steps;
            if (done % historyEvery == 0 || last)
            {
                double epoch = (double)done / sampler.BatchesPerEpoch;
                double? error = done % testEvery == 0 || last ? Evaluation.Error(network, data) : null;
                long n1 = Math.Max(1, counted);
                history.Losses.Add(new LossRecord(done, epoch, sumCe / n1, nll, sumComplexity / n1, sumLoss / n1, tau, error));
                history.Snapshots.Add(Snapshot(done, epoch, prior, priorTensors, history));
                var s = history.Snapshots[^1];
                var metrics = new Dictionary<string, double>
                {
                    ["ce"] = sumCe / n1, ["-logp/w"] = nll / priorCount, ["zero"] = s.ZeroFraction, ["H"] = s.AssignmentEntropyBits,
                };
                if (error is double e) metrics["test"] = e;
                progress.Report(done, metrics, force: error != null);
                sumCe = sumComplexity = sumLoss = 0;
                counted = 0;
            }
            if (checkpoint != null && (done % settings.CheckpointEvery == 0 || last))
                checkpoint.Save(done, new Note(previousWall + clock.Elapsed.TotalSeconds, history.ToJson()));
        }
        double testError = Evaluation.Error(network, data);
        var result = network.Copy(device);
        network.Dispose();
        foreach (var o in optimizers) (o as IDisposable)?.Dispose();
        return new RetrainResult(result, prior.State(), history, settings.Steps, testError, previousWall + clock.Elapsed.TotalSeconds,
            guard.SkippedSteps, guard.Rollbacks);
    }

    /// <summary>Learning-rate multiplier at a step: 1, then a linear fall to 0 over the last DecayFraction of the steps.</summary>
    public static double RateFactor(RetrainSettings settings, long step)
    {
        if (settings.DecayFraction <= 0) return 1;
        double start = (1 - settings.DecayFraction) * settings.Steps;
        return step < start ? 1 : Math.Max(0, (settings.Steps - step) / (settings.Steps - start));
    }

    /// <summary>tau at a step: the linear warm-up, then the geometric ramp of the last TauRampFraction of the steps.</summary>
    public static double TauAt(RetrainSettings settings, long step)
    {
        double tau = settings.TauWarmupSteps > 0 ? settings.Tau * Math.Min(1.0, (step + 1.0) / settings.TauWarmupSteps) : settings.Tau;
        if (settings.TauRampFraction <= 0 || settings.TauFinalFactor == 1) return tau;
        double start = (1 - settings.TauRampFraction) * settings.Steps;
        double progress = Math.Clamp((step + 1.0 - start) / (settings.Steps - start), 0, 1);
        return tau * Math.Pow(settings.TauFinalFactor, progress);
    }

    static RetrainingHistory NewHistory(Architecture architecture, int[] priorIndices, IReadOnlyList<Tensor> pretrained, RetrainSettings settings, long seed)
    {
        var values = Concatenate(priorIndices.Select(i => pretrained[i]));
        int bins = settings.HistogramBins;
        var edges = Enumerable.Range(0, bins + 1).Select(b => -settings.HistogramRange + 2 * settings.HistogramRange * b / bins).ToArray();
        int sample = Math.Min(settings.WeightSample, values.Length);
        var indices = BatchSampler.Permutation(values.Length, seed * 7919 + 17).Take(sample).Order().ToArray();
        return new RetrainingHistory
        {
            HistogramEdges = edges,
            SampleIndices = indices,
            SamplePretrained = indices.Select(i => values[i]).ToArray(),
            PretrainedHistogram = RetrainingHistory.Histogram(values, edges),
        };
    }

    static MixtureSnapshot Snapshot(long step, double epoch, GaussianMixturePrior prior, IReadOnlyList<Tensor> priorTensors, RetrainingHistory history)
    {
        var mixture = prior.State();
        var values = Concatenate(priorTensors);
        var assignments = PostProcessing.Assign(values, mixture);
        double zero = (double)assignments.Count(a => a == 0) / assignments.Length;
        return new MixtureSnapshot(step, epoch, mixture.Means, mixture.Stds, mixture.Proportions,
            PostProcessing.Entropy(assignments), zero, RetrainingHistory.Histogram(values, history.HistogramEdges),
            history.SampleIndices.Select(i => values[i]).ToArray());
    }

    static float[] Concatenate(IEnumerable<Tensor> tensors) => tensors.SelectMany(PostProcessing.ToFloats).ToArray();
}
