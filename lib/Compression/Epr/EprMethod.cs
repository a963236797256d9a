// EPR as a compression method (Oktay et al. 2020): train the reparameterized network with the entropy penalty
// (EprTrainer), then range-code its integer latents under tables tabulated from the learned densities (EprCodec).
//     var method = new EprMethod(EprOptions.For("quick") with { Grouping = GroupingRules.EprMnist() });
//     var result = method.Compress(new LeNet300100(), Mnist.Load("data"), new MethodContext { Log = Console.Out });
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Training;
using static TorchSharp.torch;

namespace Compression.Epr;

/// <summary>What an EPR run leaves for notebooks: the trained network (EMA values in place) and its curves.</summary>
public sealed class EprDetails(EprTrainingResult training) : IDisposable
{
    public EprTrainingResult Training { get; } = training;
    public ReparameterizedNetwork Network => Training.Network;
    public EprHistory History => Training.History;

    public void Dispose() => Training.Dispose();
}

public sealed class EprMethod(EprOptions options) : ICompressionMethod
{
    public EprOptions Options { get; } = options;

    public string Id => EprCodec.Method;
    public string DisplayName => EprCodec.Instance.DisplayName;

    public NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null) => EprCodec.Decode(model, architecture, device);

    public CompressionResult Compress(Architecture architecture, IDataset data, MethodContext context)
    {
        var (train, validation) = DatasetView.HoldOut(data, Options.TrainLimit, Options.ValidationCount);
        context.Log.WriteLine($"EPR {architecture.DisplayName}, budget {Options.Budget}: {Options.Steps:N0} steps of {Options.BatchSize}, lambda {Options.Lambda} " +
                              $"per example, seed {Options.Seed}; groups: {Options.GroupingOrDefault.Describe()}" +
                              (validation != null ? $"; {train.TrainCount:N0} training examples, {validation.TestCount:N0} more held out for validation" : ""));
        var training = EprTrainer.Train(architecture, train, Options, context.Device, context.CheckpointDirectory, context.Log, context.Initial);
        try
        {
            var model = EprCodec.Compress(training.Network);
            var expected = EprCodec.ExpectedValues(training.Network);
            var history = training.History;
            var metrics = new Dictionary<string, double>
            {
                ["lambda_per_bit_of_mean_loss"] = Options.Lambda / training.TrainCount,
                ["training_examples"] = training.TrainCount,
                ["final_rate_estimate_bits"] = history.Rows.Count > 0 ? history.Rows[^1].RateBits : double.NaN,
                ["final_cross_entropy"] = history.Rows.Count > 0 ? history.Rows[^1].CrossEntropy : double.NaN,
                ["training_seconds"] = training.WallSeconds,
                ["latents"] = training.Network.LatentCount,
                ["nonzero_latents"] = training.Network.Groups.Sum(g => g.IntegerLatents().Sum(l => l.Count(v => v != 0))),
            };
            Evaluation.Validate(expected, validation, metrics, context.Log);
            return new CompressionResult
            {
                Model = model,
                Decoded = expected,
                Budget = Options.Budget,
                Lambda = Options.Lambda,
                Seed = Options.Seed,
                Iterations = training.Steps,
                TrainingSeconds = training.WallSeconds,
                TrainCount = training.TrainCount,
                Metrics = metrics,
                Artifacts = new Dictionary<string, string> { ["history.csv"] = history.ToCsv() },
                Details = new EprDetails(training),
            };
        }
        catch
        {
            training.Dispose();
            throw;
        }
    }
}
