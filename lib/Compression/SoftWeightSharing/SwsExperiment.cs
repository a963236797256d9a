// One call from nothing to results/<experiment>/: pretrain the reference network (or load it from the
// checkpoint cache), retrain with the mixture prior, post-process, fine-tune the shared values (not
// checkpointed: seconds to minutes), code into the package's container, write the file, read it back, decode,
// evaluate the decoded network on the 10,000 test images (and on a held-out validation set when asked) and
// write summary.json, history.json and paper_style_size.json.
using System.Diagnostics;
using System.Text.Json;
using Compression.Data;
using Compression.Format;
using Compression.Models;
using Compression.Reporting;
using Compression.Training;
using Datasets;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

public sealed record SwsResult(
    RunSummary Summary, RetrainingHistory History, QuantizedNetwork Quantized, PaperStyleSize PaperStyle,
    CompressedModel Model, IReadOnlyList<CodingCandidate> CodingCandidates, string OutputDirectory);

public static class SwsExperiment
{
    public const string FileName = "model" + CompressedModelFile.Extension;

    public static SwsResult Run(SwsSettings settings, string dataDir, string outputDir, TextWriter? log = null)
    {
        log ??= Console.Out;
        var clock = Stopwatch.StartNew();
        Devices.Seed(settings.Seed, settings.Threads);
        var device = Devices.Choose();
        var arch = Architecture.ById(settings.Architecture);
        var checkpoints = settings.CheckpointDirectory
            ?? Path.Combine(DataDirectory.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "checkpoints", "sws");
        Directory.CreateDirectory(outputDir);
        ConvolutionCheck.EnsureAccurateFor(arch, device);

        using var trainFile = MnistTensors.Load(dataDir, train: true, limit: settings.TrainLimit, device: device);
        using var test = MnistTensors.Load(dataDir, train: false, device: device);
        var (train, validation) = settings.ValidationCount is int v and > 0 ? trainFile.SplitLast(v) : (trainFile, null);
        using var ownTrain = validation != null ? train : null;
        using var ownValidation = validation;
        log.WriteLine($"{settings.Experiment}: {arch.DisplayName}, budget {settings.Budget}, {train.Count} training images" +
            (validation != null ? $" ({validation.Count} more held out for validation)" : "") + $", device {device.type}");

        // 1. the reference network
        var pretrainKey = Hash(Pretrainer.Fingerprint(arch, settings.Pretrain, settings.Seed, train.Count));
        string pretrainCheckpoint = Path.Combine(checkpoints, $"{arch.Id}-pretrain-{pretrainKey}.ckpt");
        var pre = NativeFailures.Retry(() => Pretrainer.Run(arch, train, test, settings.Pretrain, settings.Seed, pretrainCheckpoint, log), pretrainCheckpoint, log);

        // 2. retraining with the mixture prior
        var retrainKey = Hash(Retrainer.Fingerprint(arch, settings.Prior, settings.Retrain, settings.Seed, train.Count) + pretrainKey);
        string retrainCheckpoint = Path.Combine(checkpoints, $"{settings.Experiment}-{settings.Budget}-retrain-{retrainKey}.ckpt");
        var re = NativeFailures.Retry(() => Retrainer.Run(arch, pre.Parameters, train, test, settings.Prior, settings.Retrain, settings.Seed, retrainCheckpoint, log),
            retrainCheckpoint, log);
        re.History.Pretraining = pre.Curve.ToList();
        log.WriteLine($"retrained: test error {re.TestError:P2}");

        // 3. post-processing: merge, assign, snap, prune
        var quantized = PostProcessing.Quantize(arch, re.Parameters, re.Mixture, settings.Prior.BiasesInPrior, settings.MergeThreshold);
        double quantizedError = Pretrainer.Evaluate(arch, quantized.Parameters(device), test);
        double paperNonzero = quantized.NonzeroFraction();
        log.WriteLine($"post-processed: {quantized.Codebook.Length} means, {paperNonzero:P2} non-zero weights, test error {quantizedError:P2}");
        int deadPruned = settings.PruneDeadUnits ? PostProcessing.PruneDeadUnits(quantized) : 0;
        if (settings.PruneDeadUnits)
            log.WriteLine($"dead units: {deadPruned} more weights and biases pruned, {quantized.NonzeroFraction():P2} non-zero weights");
        double fineTuneSeconds = 0;
        if (settings.FineTuning.Steps > 0)
        {
            // its test error is the decoded network's (below): decoding reproduces these values bit for bit
            log.WriteLine($"fine-tuning the {quantized.Codebook.Length - 1} non-zero means for {settings.FineTuning.Steps} steps (assignments fixed)");
            var tuned = MeanFineTuning.Run(quantized, train, settings.FineTuning, settings.Seed, log);
            quantized = tuned.Network;
            fineTuneSeconds = tuned.WallSeconds;
        }

        // 4. coding, the file, and the decoded network
        var model = SwsCodec.CompressSmallest(quantized, out var candidates);
        var path = Path.Combine(outputDir, FileName);
        CompressedModelFile.Write(model, path);
        long fileBytes = new FileInfo(path).Length;
        var decodedModel = CompressedModelFile.Read(path);
        var decoded = SwsCodec.DecompressValues(decodedModel, arch);
        for (int i = 0; i < decoded.Length; i++)
            if (!decoded[i].AsSpan().SequenceEqual(quantized.Values(i)))
                throw new InvalidOperationException($"decoding {path} does not reproduce {arch.Parameters[i].Name} bit for bit");
        var decodedTensors = decoded.Select((v, i) => tensor(v, arch.Parameters[i].Shape, device: device)).ToList();
        double testError = Pretrainer.Evaluate(arch, decodedTensors, test);
        double? validationError = validation != null ? Pretrainer.Evaluate(arch, decodedTensors, validation) : null;
        if (validationError is double ve) log.WriteLine($"decoded validation error {ve:P2} ({validation!.Count} held-out training images)");
        var breakdown = CompressedModelFile.Sizes(decodedModel);
        if (breakdown.TotalBytes != fileBytes) throw new InvalidOperationException($"size breakdown sums to {breakdown.TotalBytes}, the file has {fileBytes} bytes");
        var paper = HanStyleSize.Compute(quantized);
        var chosen = candidates.First(c => c.Bytes == fileBytes);
        log.WriteLine($"file {path}: {fileBytes} bytes ({(double)arch.UncompressedBytes / fileBytes:F1}x; {chosen.Layout} groups, {chosen.Tables} tables, masks {chosen.Masks}); " +
            $"paper-style {paper.WeightBytes} B weights, {paper.TotalBytes} B with biases; decoded test error {testError:P2}");

        var extra = new Dictionary<string, double>
        {
            ["compression_ratio"] = (double)arch.UncompressedBytes / fileBytes,
            ["nonzero_fraction"] = quantized.NonzeroFraction(),
            ["nonzero_fraction_before_dead_units"] = paperNonzero,
            ["dead_unit_weights_pruned"] = deadPruned,
            ["nonzero_fraction_biases"] = quantized.NonzeroFraction(ParameterRole.Bias),
            ["paper_style_bytes"] = paper.TotalBytes,
            ["paper_style_weight_bytes"] = paper.WeightBytes,
            ["paper_style_ratio"] = (double)arch.UncompressedBytes / paper.TotalBytes,
            ["pretrained_error"] = pre.TestError,
            ["retrained_error"] = re.TestError,
            ["post_processed_error"] = quantizedError,
            ["fine_tuned_error"] = settings.FineTuning.Steps > 0 ? testError : quantizedError,
            ["fine_tune_steps"] = settings.FineTuning.Steps,
            ["fine_tune_learning_rate"] = settings.FineTuning.LearningRate,
            ["fine_tune_wall_seconds"] = fineTuneSeconds,
            ["codebook_size"] = quantized.Codebook.Length,
            ["pretrain_steps"] = pre.Steps,
            ["pretrain_wall_seconds"] = pre.WallSeconds,
            ["retrain_wall_seconds"] = re.WallSeconds,
            ["tau"] = settings.Retrain.Tau,
            ["pi_zero"] = settings.Prior.ZeroProportion,
            ["components"] = settings.Prior.Components,
            ["biases_in_prior"] = settings.Prior.BiasesInPrior ? 1 : 0,
            ["group_layout"] = (int)chosen.Layout,
            ["table_source"] = (int)chosen.Tables,
            ["line_masks"] = chosen.Masks ? 1 : 0,
            ["train_examples"] = train.Count,
            ["pretrain_skipped_steps"] = pre.SkippedSteps,
            ["pretrain_rollbacks"] = pre.Rollbacks,
            ["retrain_skipped_steps"] = re.SkippedSteps,
            ["retrain_rollbacks"] = re.Rollbacks,
        };
        if (validationError is double ve2) { extra["validation_error"] = ve2; extra["validation_examples"] = validation!.Count; }
        var summary = new RunSummary
        {
            Experiment = settings.Experiment,
            Method = SwsCodec.Method,
            Model = arch.Id,
            Budget = settings.Budget,
            Lambda = settings.Retrain.Tau,
            CompressedFile = FileName,
            CompressedBytes = fileBytes,
            SizeBreakdown = breakdown.Rows.Select(r => new Reporting.SizePart(r.Part, r.Group, r.Bytes)).ToList(),
            SelfInformationBits = breakdown.Groups.Sum(g => g.SelfInformationBits),
            TestError = testError,
            UncompressedBytes = arch.UncompressedBytes,
            Iterations = re.Steps,
            Seed = settings.Seed,
            WallSeconds = clock.Elapsed.TotalSeconds,
            Device = device.type.ToString().ToLowerInvariant(),
            Extra = extra,
        };
        summary.Write(outputDir);
        re.History.Write(Path.Combine(outputDir, "history.json"));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "paper_style_size.json"),
            JsonSerializer.Serialize(new { layers = paper.Layers, weight_bytes = paper.WeightBytes, total_bytes = paper.TotalBytes, candidates },
                new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) + "\n");
        return new SwsResult(summary, re.History, quantized, paper, model, candidates, outputDir);
    }

    static string Hash(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
}
