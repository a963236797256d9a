// Entropy-constrained training as a compression method (after Wiedemann, Marban, Müller and Samek 2018, seed 001, of
// which only the abstract is known here; the design is ours, see EcTrainer and RelaxedEntropy): pretrain the reference
// network (soft weight-sharing's pretrainer) or start from a given one, train it with the relaxed entropy of its
// quantised weights as the size term, make the assignments hard, and code the centres and indices with the package's
// range coder into the file (EcCodec). Works for any Architecture: each weight tensor gets a codebook, the biases share one.
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.SoftWeightSharing;
using Compression.Training;
using static TorchSharp.torch;

namespace Compression.EntropyConstrained;

/// <summary>What an entropy-constrained run leaves for notebooks.</summary>
public sealed record EcDetails(EcHistory History, HardAssignment Quantized, IReadOnlyList<float[]> InitialCentres, IReadOnlyList<double> Scales,
    NetworkValues Shadow, IReadOnlyList<CurvePoint> Pretraining, double ReferenceError) : IDisposable
{
    public void Dispose() => Shadow.Dispose();
}

public sealed class EntropyConstrainedMethod(EcSettings settings) : ICompressionMethod
{
    public EcSettings Settings { get; } = settings;

    public string Id => EcCodec.Method;
    public string DisplayName => EcCodec.Instance.DisplayName;

    public NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null) => EcCodec.Decode(model, architecture, device);

    public CompressionResult Compress(Architecture architecture, IDataset data, MethodContext context)
    {
        var s = Settings;
        var log = context.Log;
        var device = context.Device;
        Devices.Seed(s.Seed, s.Threads);
        if (architecture.HasConvolutions) ConvolutionCheck.EnsureAccurate(device);
        var train = DatasetView.Limit(data, s.TrainLimit, null);
        log.WriteLine($"entropy-constrained training, {architecture.DisplayName}, budget {s.Budget}: {train.TrainCount:N0} training examples, lambda {s.Train.Lambda}, seed {s.Seed}");

        PretrainResult? pre = null;
        NetworkValues reference;
        string startKey;
        if (context.Initial is { } initial)
        {
            reference = initial.Copy(device);
            startKey = Checkpoint.KeyOf(initial);
            log.WriteLine("starting from the given network; no pretraining");
        }
        else
        {
            pre = NativeFailures.Retry(() => Pretrainer.Run(architecture, train, s.Pretrain, s.Seed, device, context.CheckpointDirectory, log), context.CheckpointDirectory, log);
            reference = pre.Network;
            startKey = Pretrainer.Fingerprint(architecture, s.Pretrain, s.Seed, train.TrainCount);
        }
        double referenceError = pre?.TestError ?? Evaluation.Error(reference, data);
        log.WriteLine($"reference network: test error {referenceError:P2}");

        var trained = NativeFailures.Retry(() => EcTrainer.Run(reference, train, s.Codebook, s.Train, s.Seed, device, log, context.CheckpointDirectory, startKey),
            context.CheckpointDirectory, log);
        reference.Dispose();
        var quantized = trained.Quantized;
        var model = EcCodec.Compress(quantized);
        long fileBytes = CompressedModelFile.ToBytes(model).LongLength;
        var expected = quantized.Network(CPU);
        double error = Evaluation.Error(expected, data);
        double entropyBytes = quantized.EntropyBits() / 8;
        log.WriteLine($"hard network: test error {error:P2}, {quantized.NonzeroWeightFraction():P2} non-zero weights, " +
                      $"entropy {entropyBytes:F0} B, file {fileBytes} B ({(double)architecture.UncompressedBytes / fileBytes:F1}x)");

        var metrics = new Dictionary<string, double>
        {
            ["pretrained_error"] = referenceError,
            ["nonzero_fraction"] = quantized.NonzeroWeightFraction(),
            ["entropy_bytes"] = entropyBytes,
            ["relaxed_bytes_last"] = trained.History.Records.Count > 0 ? trained.History.Records[^1].RelaxedBits / 8 : double.NaN,
            ["codebooks"] = quantized.Groups.Count,
            ["centres_used"] = quantized.Groups.Sum(g => g.Counts().Count(c => c > 0)),
            ["free_centres"] = s.Codebook.FreeCentres,
            ["code_biases"] = s.Codebook.CodeBiases ? 1 : 0,
            ["initial_temperature"] = s.Train.InitialTemperature,
            ["final_temperature"] = s.Train.FinalTemperature,
            ["weight_learning_rate"] = s.Train.WeightLearningRate,
            ["centre_learning_rate"] = s.Train.CentreLearningRate,
            ["batch_size"] = s.Train.BatchSize,
            ["pretrain_steps"] = pre?.Steps ?? 0,
            ["pretrain_wall_seconds"] = pre?.WallSeconds ?? 0,
            ["train_wall_seconds"] = trained.WallSeconds,
            ["train_examples"] = train.TrainCount,
            ["skipped_steps"] = trained.SkippedSteps + (pre?.SkippedSteps ?? 0),
            ["rollbacks"] = trained.Rollbacks + (pre?.Rollbacks ?? 0),
        };
        foreach (var g in quantized.Groups)
        {
            metrics[$"nonzero_fraction_{g.Name}"] = (double)g.Nonzero() / g.Assignments.Length;
            metrics[$"entropy_bytes_{g.Name}"] = g.EntropyBits() / 8;
        }
        return new CompressionResult
        {
            Model = model,
            Decoded = expected,
            Budget = s.Budget,
            Lambda = s.Train.Lambda,
            Seed = s.Seed,
            Iterations = trained.Steps,
            TrainingSeconds = (pre?.WallSeconds ?? 0) + trained.WallSeconds,
            TrainCount = train.TrainCount,
            Metrics = metrics,
            Artifacts = new Dictionary<string, string> { ["history.csv"] = trained.History.ToCsv() },
            Details = new EcDetails(trained.History, quantized, trained.InitialCentres, trained.Scales, trained.Shadow, pre?.Curve ?? [], referenceError),
        };
    }
}
