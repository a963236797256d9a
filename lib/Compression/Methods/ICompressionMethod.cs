// The seam every compression method implements (EPR, soft weight-sharing, and those to come): compress a network
// trained on a data set into a CompressedModel, and decode such a model back into a network. A file names its
// method by id; CompressionMethods dispatches on it, so `verify`, `decompress`, `inspect` and the results table work
// for every registered method without knowing any of them.
using Compression.Data;
using Compression.Format;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Methods;

/// <summary>Decodes the files of one method. Needs no settings: everything a decoder uses is in the file.</summary>
public interface IMethodDecoder
{
    /// <summary>The id stored in files, e.g. "epr".</summary>
    string Id { get; }

    /// <summary>For people and for the papers' tables, e.g. "EPR", "Soft weight-sharing".</summary>
    string DisplayName { get; }

    /// <summary>
    /// The network <paramref name="model"/> decodes to, for <paramref name="architecture"/>, on <paramref name="device"/>
    /// (the CPU by default). Bad or unexpected content is a CorruptModelFileException, raised before work that grows with
    /// sizes the architecture does not confirm.
    /// </summary>
    NetworkValues Decode(CompressedModel model, Architecture architecture, Device? device = null);
}

/// <summary>A compression method with its settings: trains (or fine-tunes) a network and compresses it.</summary>
public interface ICompressionMethod : IMethodDecoder
{
    /// <summary>
    /// Trains <paramref name="architecture"/> on <paramref name="data"/> (starting from <see cref="MethodContext.Initial"/>
    /// when given) and compresses it. The result's <see cref="CompressionResult.Decoded"/> is what decoding the model must
    /// reproduce bit for bit.
    /// </summary>
    CompressionResult Compress(Architecture architecture, IDataset data, MethodContext context);
}

/// <summary>What a method gets from the run around it.</summary>
public sealed record MethodContext
{
    /// <summary>Progress lines and notes (the experiment runner also writes them to training.log).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Where the method's checkpoints go (names keyed by its settings); null: no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    public Device Device { get; init; } = CPU;

    /// <summary>A network trained elsewhere to start from (e.g. imported from PyTorch); null: the method's own start.</summary>
    public NetworkValues? Initial { get; init; }
}

/// <summary>What a method produced: the compressed model, what it must decode to, and the run's numbers.</summary>
public sealed class CompressionResult : IDisposable
{
    public required CompressedModel Model { get; init; }

    /// <summary>The network the model must decode to, bit for bit (on the CPU).</summary>
    public required NetworkValues Decoded { get; init; }

    public required string Budget { get; init; }

    /// <summary>The method's rate knob (EPR's lambda, soft weight-sharing's tau, ...), recorded in summaries.</summary>
    public required double Lambda { get; init; }

    public required long Seed { get; init; }

    /// <summary>Optimisation steps of the main training phase.</summary>
    public required long Iterations { get; init; }

    public required double TrainingSeconds { get; init; }

    /// <summary>Training examples used.</summary>
    public required int TrainCount { get; init; }

    /// <summary>Method-specific numbers for summary.json (its "extra" field).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Extra files for the run's folder (name -> content), e.g. "history.csv".</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>Things a reader must know (e.g. post-processing cost more accuracy than the method's threshold).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Method-specific details (training curves, the quantized network...), for notebooks.</summary>
    public object? Details { get; init; }

    public void Dispose()
    {
        Decoded.Dispose();
        (Details as IDisposable)?.Dispose();
    }
}
