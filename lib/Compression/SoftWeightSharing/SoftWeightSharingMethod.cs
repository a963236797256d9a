// Soft weight-sharing as a compression method (Ullrich, Meeds and Welling 2017): pretrain the reference network
// (or start from one trained elsewhere), retrain it with the Gaussian-mixture prior, post-process (merge, assign,
// snap, prune; exact dead-unit pruning where the architecture's links allow it), fine-tune the shared values
// (Han et al.; not in the paper), then code the component indices with the package's range coder and container.
// Post-processing that costs more accuracy than SwsSettings.MaxAccuracyLoss is reported as a warning (or fails).
using System.Text.Json;
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Training;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

/// <summary>What a soft weight-sharing run leaves for notebooks.</summary>
public sealed record SwsDetails(RetrainingHistory History, QuantizedNetwork Quantized, PaperStyleSize PaperStyle, IReadOnlyList<CodingCandidate> CodingCandidates,
    IReadOnlyList<CurvePoint> FineTuningCurve);

public sealed class SoftWeightSharingMethod(SwsSettings settings) : ICompressionMethod
{
    public SwsSettings Settings { get; } = settings;

    public string Id => SwsCodec.Method;
    public string DisplayName => SwsCodec.Instance.DisplayName;

    public NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null) => SwsCodec.Decode(model, architecture, device);

    public CompressionResult Compress(Architecture architecture, IDataset data, MethodContext context)
    {
        var s = Settings;
        var log = context.Log;
        var device = context.Device;
        Devices.Seed(s.Seed, s.Threads);
        if (architecture.HasConvolutions) ConvolutionCheck.EnsureAccurate(device);
        var (train, validation) = DatasetView.HoldOut(data, s.TrainLimit, s.ValidationCount);
        log.WriteLine($"soft weight-sharing, {architecture.DisplayName}, budget {s.Budget}: {train.TrainCount:N0} training examples" +
            (validation != null ? $" ({validation.TestCount:N0} more held out for validation)" : "") + $", tau {s.Retrain.Tau}, seed {s.Seed}");

        // 1. the reference network: given, or pretrained here
        PretrainResult? pre = null;
        NetworkValues reference;
        string startKey;
        if (context.Initial is { } initial)
        {
            reference = initial.Copy(device);
            startKey = Checkpoint.KeyOf(initial);
            log.WriteLine($"starting from the given network (test error {Evaluation.Error(reference, data):P2}); no pretraining");
        }
        else
        {
            pre = NativeFailures.Retry(() => Pretrainer.Run(architecture, train, s.Pretrain, s.Seed, device, context.CheckpointDirectory, log), context.CheckpointDirectory, log);
            reference = pre.Network;
            startKey = Pretrainer.Fingerprint(architecture, s.Pretrain, s.Seed, train.TrainCount);
        }
        double referenceError = pre?.TestError ?? Evaluation.Error(reference, data);

        // 2. retraining with the mixture prior
        var re = NativeFailures.Retry(() => Retrainer.Run(reference, train, s.Prior, s.Retrain, s.Seed, device, context.CheckpointDirectory, startKey, log),
            context.CheckpointDirectory, log);
        reference.Dispose();
        if (pre != null) re.History.Pretraining = pre.Curve.ToList();
        log.WriteLine($"retrained: test error {re.TestError:P2}");

        // 3. post-processing: merge, assign, snap, prune
        var quantized = PostProcessing.Quantize(re.Network, re.Mixture, s.Prior.BiasesInPrior, s.MergeThreshold);
        re.Network.Dispose();
        double quantizedError;
        using (var q = quantized.Network(device)) quantizedError = Evaluation.Error(q, data);
        double paperNonzero = quantized.NonzeroFraction();
        log.WriteLine($"post-processed: {quantized.Codebook.Length} means, {paperNonzero:P2} non-zero weights, test error {quantizedError:P2}");
        int deadPruned = 0;
        if (s.PruneDeadUnits && architecture.UnitLinks.Count > 0)
        {
            deadPruned = PostProcessing.PruneDeadUnits(quantized);
            log.WriteLine($"dead units: {deadPruned} more weights and biases pruned, {quantized.NonzeroFraction():P2} non-zero weights");
        }
        else if (s.PruneDeadUnits) log.WriteLine($"dead units: not pruned ({architecture.DisplayName} declares no unit links, so pruning would not be exact)");
        IReadOnlyList<CurvePoint> fineCurve = [];
        double fineTuneSeconds = 0;
        if (s.FineTuning.Steps > 0)
        {
            log.WriteLine($"fine-tuning the {quantized.Codebook.Length - 1} non-zero means for {s.FineTuning.Steps} steps (assignments fixed)");
            var tuned = MeanFineTuning.Run(quantized, train, s.FineTuning, s.Seed, device, log);
            quantized = tuned.Network;
            fineCurve = tuned.Curve;
            fineTuneSeconds = tuned.WallSeconds;
        }

        // 4. coding
        var model = SwsCodec.CompressSmallest(quantized, out var candidates);
        long fileBytes = CompressedModelFile.ToBytes(model).LongLength;
        var expected = quantized.Network(CPU);
        double finalError = Evaluation.Error(expected, data);
        var paper = HanStyleSize.Compute(quantized);
        var chosen = candidates.First(c => c.Bytes == fileBytes);
        log.WriteLine($"coded: {fileBytes} bytes ({chosen.Layout} groups, {chosen.Tables} tables, masks {chosen.Masks}); paper-style {paper.WeightBytes} B weights, {paper.TotalBytes} B with biases");

        var warnings = new List<string>();
        double loss = finalError - re.TestError;
        if (loss > s.MaxAccuracyLoss)
        {
            string message = $"post-processing raised the test error from {re.TestError:P2} (retrained) to {finalError:P2} (snapped{(s.FineTuning.Steps > 0 ? " and fine-tuned" : "")}), " +
                             $"more than the allowed {s.MaxAccuracyLoss:P1}: the retraining left the weights far from their components' means (train longer, or raise tau)";
            if (s.FailOnAccuracyLoss) throw new InvalidOperationException(message);
            warnings.Add(message);
        }

        var metrics = new Dictionary<string, double>
        {
            ["nonzero_fraction"] = quantized.NonzeroFraction(),
            ["nonzero_fraction_before_dead_units"] = paperNonzero,
            ["dead_unit_weights_pruned"] = deadPruned,
            ["nonzero_fraction_biases"] = quantized.NonzeroFraction(ParameterRole.Bias),
            ["paper_style_bytes"] = paper.TotalBytes,
            ["paper_style_weight_bytes"] = paper.WeightBytes,
            ["paper_style_ratio"] = (double)architecture.UncompressedBytes / paper.TotalBytes,
            ["pretrained_error"] = referenceError,
            ["retrained_error"] = re.TestError,
            ["post_processed_error"] = quantizedError,
            ["fine_tuned_error"] = finalError,
            ["fine_tune_steps"] = s.FineTuning.Steps,
            ["fine_tune_learning_rate"] = s.FineTuning.LearningRate,
            ["fine_tune_wall_seconds"] = fineTuneSeconds,
            ["codebook_size"] = quantized.Codebook.Length,
            ["pretrain_steps"] = pre?.Steps ?? 0,
            ["pretrain_wall_seconds"] = pre?.WallSeconds ?? 0,
            ["retrain_wall_seconds"] = re.WallSeconds,
            ["tau"] = s.Retrain.Tau,
            ["pi_zero"] = s.Prior.ZeroProportion,
            ["components"] = s.Prior.Components,
            ["biases_in_prior"] = s.Prior.BiasesInPrior ? 1 : 0,
            ["group_layout"] = (int)chosen.Layout,
            ["table_source"] = (int)chosen.Tables,
            ["line_masks"] = chosen.Masks ? 1 : 0,
            ["train_examples"] = train.TrainCount,
            ["pretrain_skipped_steps"] = pre?.SkippedSteps ?? 0,
            ["pretrain_rollbacks"] = pre?.Rollbacks ?? 0,
            ["retrain_skipped_steps"] = re.SkippedSteps,
            ["retrain_rollbacks"] = re.Rollbacks,
        };
        Evaluation.Validate(expected, validation, metrics, log);
        var paperJson = JsonSerializer.Serialize(new { layers = paper.Layers, weight_bytes = paper.WeightBytes, total_bytes = paper.TotalBytes, candidates },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) + "\n";
        return new CompressionResult
        {
            Model = model,
            Decoded = expected,
            Budget = s.Budget,
            Lambda = s.Retrain.Tau,
            Seed = s.Seed,
            Iterations = re.Steps,
            TrainingSeconds = (pre?.WallSeconds ?? 0) + re.WallSeconds + fineTuneSeconds,
            TrainCount = train.TrainCount,
            Metrics = metrics,
            Artifacts = new Dictionary<string, string> { ["history.json"] = re.History.ToJson(), ["paper_style_size.json"] = paperJson },
            Warnings = warnings,
            Details = new SwsDetails(re.History, quantized, paper, candidates, fineCurve),
        };
    }

}
