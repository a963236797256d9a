// One call from settings to a committed result: train, compress, write the file, read it back, decode,
// check the decoded parameters are the trained ones bit for bit, evaluate the decoded network on all
// 10,000 MNIST test images (on the CPU, so `verify` reproduces it anywhere), and write
// results/<experiment>/{<model>.epr, summary.json, history.csv}.
using System.Diagnostics;
using Compression.Data;
using Compression.Format;
using Compression.Models;
using Compression.Reporting;
using Compression.Training;
using Datasets;
using static TorchSharp.torch;
using ReportPart = Compression.Reporting.SizePart;

namespace Compression.Epr;

/// <summary>What a finished experiment produced.</summary>
public sealed record EprOutcome(RunSummary Summary, string Directory, string CompressedPath, CompressedModel Model, SizeBreakdown Breakdown, EprHistory History);

public static class EprExperiment
{
    public static EprOutcome Run(EprSettings settings, string dataDir, string outputDir, TextWriter? progress = null, string? checkpointDir = null)
    {
        progress ??= Console.Out;
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDir);
        string experiment = Path.GetFileName(Path.GetFullPath(outputDir).TrimEnd(Path.DirectorySeparatorChar));
        checkpointDir ??= "checkpoints";
        string checkpoint = Path.Combine(checkpointDir, $"{experiment}.ckpt");
        progress.WriteLine($"EPR {settings.Model}, budget {settings.Budget}: {settings.Steps} steps, lambda {settings.Lambda} (per-example; paper's lambda {settings.Lambda / 60000:G3}), seed {settings.Seed} -> {outputDir}");

        using var result = EprTrainer.Train(settings, dataDir, checkpoint, progress);
        var architecture = result.Network.Architecture;

        var model = EprCompressor.Compress(result.Network);
        string file = $"{architecture.Id}.epr";
        string path = Path.Combine(outputDir, file);
        CompressedModelFile.Write(model, path);
        long length = new FileInfo(path).Length;

        // Decode what was written, never the training model, and make sure it is exactly what training produced.
        var read = CompressedModelFile.Read(path);
        var decoded = EprCompressor.Decompress(read, architecture);
        var expected = EprCompressor.ExpectedParameters(result.Network);
        for (int i = 0; i < decoded.Count; i++)
            if (!decoded[i].to(CPU).contiguous().bytes.SequenceEqual(expected[i].to(CPU).contiguous().bytes))
                throw new InvalidOperationException($"{architecture.Parameters[i].Name}: decoded values differ from the trained ones");
        double error = DecodedError(architecture, decoded, dataDir);

        var breakdown = SizeBreakdown.Of(read);
        if (breakdown.TotalBytes != length) throw new InvalidOperationException($"size breakdown {breakdown.TotalBytes} B != file {length} B");
        var extra = new Dictionary<string, double>
        {
            ["lambda_per_bit_of_mean_loss"] = settings.Lambda / result.TrainCount,
            ["training_examples"] = result.TrainCount,
            ["final_rate_estimate_bits"] = result.History.Rows.Count > 0 ? result.History.Rows[^1].RateBits : double.NaN,
            ["final_cross_entropy"] = result.History.Rows.Count > 0 ? result.History.Rows[^1].CrossEntropy : double.NaN,
            ["training_seconds"] = result.WallSeconds,
            ["nonzero_latents"] = read.Groups.Sum(g => g.DecodeSymbols().Count(s => s != 0)),
            ["latents"] = read.Groups.Sum(g => g.SymbolCount),
        };
        foreach (var g in breakdown.Groups) extra[$"bits_per_latent[{g.Group}]"] = g.BitsPerSymbol;
        var summary = new RunSummary
        {
            Experiment = experiment,
            Method = EprCompressor.Method,
            Model = architecture.Id,
            Budget = settings.Budget,
            Lambda = settings.Lambda,
            CompressedFile = file,
            CompressedBytes = length,
            SizeBreakdown = breakdown.Rows.Select(r => new ReportPart(r.Part, r.Group, r.Bytes)).ToList(),
            SelfInformationBits = breakdown.Groups.Sum(g => g.SelfInformationBits),
            TestError = error,
            UncompressedBytes = architecture.UncompressedBytes,
            Iterations = result.Steps,
            Seed = settings.Seed,
            WallSeconds = clock.Elapsed.TotalSeconds,
            Device = result.Device,
            Extra = extra,
        };
        summary.Write(outputDir);
        AtomicFile.WriteAllText(Path.Combine(outputDir, "history.csv"), result.History.ToCsv());
        if (File.Exists(checkpoint)) File.Delete(checkpoint);
        progress.WriteLine($"{architecture.DisplayName}: {length} bytes ({length / 1000.0:F2} KB, {summary.CompressionRatio:F0}x), decoded test error {100 * error:F2}%");
        progress.WriteLine(breakdown.ToText());
        return new EprOutcome(summary, outputDir, path, read, breakdown, result.History);
    }

    /// <summary>
    /// Test error of decoded parameters on all 10,000 MNIST test images, on the CPU with one libtorch thread so
    /// that the same file gives the same error on any machine.
    /// </summary>
    public static double DecodedError(Architecture architecture, IReadOnlyList<Tensor> parameters, string dataDir)
    {
        using var test = MnistTensors.Load(dataDir, train: false);
        using var scope = NewDisposeScope();
        var cpu = parameters.Select(p => p.to(CPU)).ToList();
        int threads = get_num_threads();
        set_num_threads(1);
        try { return Evaluation.Error(x => architecture.Forward(x, cpu), test); }
        finally { set_num_threads(threads); }
    }
}
