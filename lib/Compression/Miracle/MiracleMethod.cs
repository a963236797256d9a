// MIRACLE as a compression method (Havasi, Peharz and Hernandez-Lobato, ICLR 2019, "Minimal Random Code Learning:
// Getting Bits Back from Compressed Model Parameters"): variational training with a KL budget per block
// (MiracleTrainer), then block-by-block coding of one candidate index each, written as fixed-length fields
// (MiracleCodec). The size table counts every byte of the file; the metrics also give the paper's count, B x C_loc
// bits ("paper_counted_bytes"), which leaves out the seed, the layout, the prior stds and the container.
//     var method = new MiracleMethod(MiracleOptions.For("quick", new LeNet5Caffe()));
//     using var outcome = Experiment.Run(method, new LeNet5Caffe(), Mnist.Load("data"), "results/miracle-lenet5-caffe");
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Miracle;

public sealed class MiracleMethod(MiracleOptions options) : ICompressionMethod
{
    public MiracleOptions Options { get; } = options;

    public string Id => MiracleCodec.Method;
    public string DisplayName => MiracleCodec.Instance.DisplayName;

    public NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null) => MiracleCodec.Decode(model, architecture, device);

    public CompressionResult Compress(Architecture architecture, IDataset data, MethodContext context)
    {
        var training = MiracleTrainer.Train(architecture, data, Options, context.Device, context.Log, context.Initial);
        try
        {
            var code = training.Code;
            var state = Enumerable.Range(0, architecture.State.Count).Select(training.Decoded.StateFloats).ToList();
            var model = MiracleCodec.Compress(code, architecture, state);
            var coding = training.History.Coding;
            var metrics = new Dictionary<string, double>
            {
                ["paper_counted_bytes"] = code.PaperCountedBytes,
                ["paper_counted_kib"] = code.PaperCountedBytes / 1024,
                ["blocks"] = code.BlockCount,
                ["bits_per_block"] = code.BitsPerBlock,
                ["variables"] = training.Hashing.VariableCount,
                ["variational_steps"] = Options.VariationalSteps,
                ["retrain_steps_per_block"] = Options.RetrainSteps,
                ["variational_seconds"] = training.VariationalSeconds,
                ["coding_seconds"] = training.CodingSeconds,
                ["search_seconds"] = training.SearchSeconds,
                ["mean_block_kl_bits_at_coding"] = coding.Count > 0 ? coding.Average(c => c.KlBits) : double.NaN,
                ["max_block_kl_bits_at_coding"] = coding.Count > 0 ? coding.Max(c => c.KlBits) : double.NaN,
                ["mean_chosen_log_weight_bits"] = coding.Count > 0 ? coding.Average(c => c.LogWeightBits) : double.NaN,
                ["training_examples"] = training.TrainCount,
                ["argmax_selection"] = Options.Selection == CandidateSelection.Argmax ? 1 : 0,
            };
            for (int l = 0; l < code.PriorStds.Length; l++) metrics[$"prior_std[{training.Hashing.Layers[l]}]"] = code.PriorStds[l];
            return new CompressionResult
            {
                Model = model,
                Decoded = training.Decoded,
                Budget = Options.Budget,
                Lambda = Options.BitsPerBlock,
                Seed = Options.Seed,
                Iterations = training.Steps,
                TrainingSeconds = training.VariationalSeconds + training.CodingSeconds,
                TrainCount = training.TrainCount,
                Metrics = metrics,
                Artifacts = new Dictionary<string, string>
                {
                    ["history.csv"] = training.History.TrainingCsv(),
                    ["coding.csv"] = training.History.CodingCsv(),
                    ["block_kl.json"] = training.History.SnapshotsJson(),
                },
                Details = new MiracleDetails(training.History, code, training.Hashing),
            };
        }
        catch
        {
            training.Dispose();
            throw;
        }
    }
}

/// <summary>What a MIRACLE run leaves for notebooks.</summary>
public sealed record MiracleDetails(MiracleHistory History, MiracleCode Code, HashingLayout Hashing);
