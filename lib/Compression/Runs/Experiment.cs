// One call from a method, a network and a data set to a result folder that `verify` can check:
//   1. the method trains and compresses (progress to the console and to training.log; checkpoints keyed by its settings);
//   2. the file is written atomically, read back and decoded by the decoder its method id names (never the
//      training model), and the decoded network must equal what the method says it must, bit for bit;
//   3. the decoded network's error on every test example is measured on the CPU (one thread), and summary.json,
//      the size table and the method's own files (curves) are written beside the file.
// A finished run removes its checkpoints when they live in the result folder (the default), unless asked to keep them.
using System.Diagnostics;
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Training;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Runs;

public sealed record ExperimentOptions
{
    /// <summary>Where checkpoints go; null: &lt;output&gt;/checkpoints, removed when the run finishes (see KeepCheckpoints).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Keep the checkpoints of a finished run (by default those in the result folder are removed).</summary>
    public bool KeepCheckpoints { get; init; }

    /// <summary>Progress lines also go here (besides training.log); null: the console.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>The compressed file's name; null: &lt;architecture&gt;.eprc.</summary>
    public string? FileName { get; init; }

    /// <summary>Where training runs; null: <see cref="Devices.Choose"/> (CUDA when present, REPRO_DEVICE overrides).</summary>
    public Device? Device { get; init; }

    /// <summary>A network trained elsewhere to start from.</summary>
    public NetworkValues? Initial { get; init; }
}

/// <summary>What a finished experiment produced. Disposing it disposes the decoded network and the method's details.</summary>
public sealed record ExperimentOutcome(RunSummary Summary, string Directory, string CompressedPath, CompressedModel Model, SizeBreakdown Sizes,
    NetworkValues Decoded, CompressionResult Result) : IDisposable
{
    public void Dispose()
    {
        Decoded.Dispose();
        Result.Dispose();
    }
}

public static class Experiment
{
    public const string LogFile = "training.log";

    /// <summary>Trains and compresses with <paramref name="method"/>, then <see cref="ExperimentRun.Finish"/>: the whole run in one call.</summary>
    public static ExperimentOutcome Run(ICompressionMethod method, Architecture architecture, IDataset data, string outputDir, ExperimentOptions? options = null)
    {
        using var run = Start(method, architecture, data, outputDir, options);
        return run.Finish(run.Compress());
    }

    /// <summary>
    /// Opens a run: the result folder, training.log, the checkpoint folder and the device. Notebooks use it to show each
    /// stage: <c>var result = run.Compress();</c> (training, with progress), look inside, then <c>run.Finish(result)</c>.
    /// </summary>
    public static ExperimentRun Start(ICompressionMethod method, Architecture architecture, IDataset data, string outputDir, ExperimentOptions? options = null) =>
        new(method, architecture, data, outputDir, options ?? new ExperimentOptions());
}

/// <summary>An experiment in progress (see <see cref="Experiment.Start"/>). Disposing it closes training.log.</summary>
public sealed class ExperimentRun : IDisposable
{
    readonly ICompressionMethod method;
    readonly Architecture architecture;
    readonly IDataset data;
    readonly ExperimentOptions options;
    readonly StreamWriter logFile;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly string checkpoints;

    internal ExperimentRun(ICompressionMethod method, Architecture architecture, IDataset data, string outputDir, ExperimentOptions options)
    {
        this.method = method;
        this.architecture = architecture;
        this.data = data;
        this.options = options;
        OutputDirectory = Path.GetFullPath(outputDir);
        var trimmed = outputDir.TrimEnd('/', Path.DirectorySeparatorChar);
        shownDirectory = trimmed.Length > 0 ? trimmed : OutputDirectory;
        Directory.CreateDirectory(OutputDirectory);
        checkpoints = options.CheckpointDirectory ?? Path.Combine(OutputDirectory, "checkpoints");
        var device = options.Device ?? Devices.Choose();
        logFile = new StreamWriter(Path.Combine(OutputDirectory, Experiment.LogFile), append: true) { AutoFlush = true };
        Log = new TeeWriter(options.Progress ?? Console.Out, logFile);
        Context = new MethodContext { Log = Log, CheckpointDirectory = checkpoints, Device = device, Initial = options.Initial };
        Log.WriteLine($"== {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z {method.DisplayName} on {architecture.DisplayName}, {data.Name}: {data.TrainCount:N0} training / " +
                      $"{data.TestCount:N0} test examples, device {device.type} -> {shownDirectory}");
    }

    /// <summary>The run's folder, absolute.</summary>
    public string OutputDirectory { get; }

    // The folder as the caller named it (relative paths stay relative in logs and in the outcome's paths).
    readonly string shownDirectory;

    /// <summary>The console (or ExperimentOptions.Progress) and training.log together.</summary>
    public TextWriter Log { get; }

    /// <summary>What the method gets: the log, the checkpoint folder, the device, the starting network.</summary>
    public MethodContext Context { get; }

    /// <summary>The method's training and compression.</summary>
    public CompressionResult Compress() => method.Compress(architecture, data, Context);

    /// <summary>
    /// Writes the result's file atomically, reads it back and decodes it with the decoder its method id names, checks
    /// the decoded network against the result bit for bit, measures its test error (CPU, one thread, every test
    /// example) and writes summary.json and the method's files. On failure the result is disposed.
    /// </summary>
    public ExperimentOutcome Finish(CompressionResult result)
    {
        try
        {
            string experiment = Path.GetFileName(OutputDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string file = options.FileName ?? $"{architecture.Id}{CompressedModelFile.Extension}";
            string path = Path.Combine(OutputDirectory, file);
            CompressedModelFile.Write(result.Model, path);
            long length = new FileInfo(path).Length;

            // Decode what was written, never the training model, and make sure it is exactly what training produced.
            var read = CompressedModelFile.Read(path);
            var decoded = CompressionMethods.Decode(read, architecture);
            if (!decoded.BitwiseEquals(result.Decoded, out var first))
                throw new InvalidOperationException($"{path}: {first} decodes to other values than the method produced");
            double error = Evaluation.TestError(decoded, data);

            var sizes = SizeBreakdown.Of(read);
            if (sizes.TotalBytes != length) throw new InvalidOperationException($"size breakdown {sizes.TotalBytes} B != file {length} B");
            var extra = new Dictionary<string, double>(result.Metrics);
            foreach (var g in sizes.Groups) extra[$"bits_per_symbol[{g.Group}]"] = g.BitsPerSymbol;
            // what the papers would count: the file without the state (running statistics) they leave out
            extra["paper_comparable_bytes"] = sizes.PaperComparableBytes;
            var summary = new RunSummary
            {
                Experiment = experiment,
                Method = method.Id,
                Model = architecture.Id,
                Dataset = data.Name,
                Budget = result.Budget,
                Lambda = result.Lambda,
                CompressedFile = file,
                CompressedBytes = length,
                SizeBreakdown = sizes.Rows.Select(r => new SizePart(r.Part, r.Group, r.Bytes)).ToList(),
                SelfInformationBits = sizes.Groups.Sum(g => g.SelfInformationBits),
                TestError = error,
                UncompressedBytes = architecture.UncompressedBytes,
                Iterations = result.Iterations,
                Seed = result.Seed,
                WallSeconds = clock.Elapsed.TotalSeconds,
                Device = Context.Device.type.ToString().ToLowerInvariant(),
                Extra = extra,
                Warnings = result.Warnings,
            };
            summary.Write(OutputDirectory);
            foreach (var (name, content) in result.Artifacts) AtomicFile.WriteAllText(Path.Combine(OutputDirectory, name), content);
            foreach (var w in result.Warnings) Log.WriteLine($"WARNING: {w}");
            Log.WriteLine($"{architecture.DisplayName}: {length:N0} bytes ({length / 1000.0:F2} KB, {summary.CompressionRatio:F0}x), decoded test error {100 * error:F2}% " +
                          $"on {data.TestCount:N0} test examples");
            Log.WriteLine(sizes.ToText());
            if (options.CheckpointDirectory is null && !options.KeepCheckpoints && Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
            return new ExperimentOutcome(summary, shownDirectory, Path.Combine(shownDirectory, file), read, sizes, decoded, result);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public void Dispose() => logFile.Dispose();

    /// <summary>Writes every line to two writers (the console and training.log).</summary>
    sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => first.Encoding;
        public override void Write(char value) { first.Write(value); second.Write(value); }
        public override void Write(string? value) { first.Write(value); second.Write(value); }
        public override void WriteLine(string? value) { first.WriteLine(value); second.WriteLine(value); }
        public override void Flush() { first.Flush(); second.Flush(); }
    }
}
