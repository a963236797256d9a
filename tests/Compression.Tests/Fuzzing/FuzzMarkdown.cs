// The figures of a fuzz campaign as markdown (results/benchmarks/fuzz.md): inputs, outcome classes, where past the
// container the rejections came from, the worst input's cost, throughput and the machine's load.
using System.Globalization;
using System.Text;

namespace Compression.Tests.Fuzzing;

public static class FuzzMarkdown
{
    public static void Write(string path, FuzzReport report, int seeds, long seed, FuzzLimits limits, double loadBefore, double loadAfter)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# Fuzz campaign of the method decoders (`make fuzz`)");
        s.AppendLine();
        s.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {loadBefore.ToString("0.0", inv)} before and " +
                     $"{loadAfter.ToString("0.0", inv)} after (other work shared the machine). Harness: tests/Compression.Tests/Fuzzing " +
                     $"(MethodFuzzTests with FUZZ_INPUTS/FUZZ_SECONDS/FUZZ_SEED); decode delegate: read the file, take the registered " +
                     $"architecture it names, CompressionMethods.Decode. {seeds} seed files (the committed results and fresh EPR transform-decoder and " +
                     $"soft weight-sharing mask files), run seed {seed}; 15 of 16 mutated inputs get their CRC-32 recomputed.");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("|---|---:|");
        s.AppendLine($"| inputs | {report.Inputs.ToString("N0", inv)} |");
        s.AppendLine($"| wall time | {report.WallSeconds.ToString("0.0", inv)} s |");
        s.AppendLine($"| throughput | {report.InputsPerSecond.ToString("N0", inv)} inputs/s |");
        foreach (var (outcome, count) in report.Outcomes)
            s.AppendLine($"| {outcome} | {count.ToString("N0", inv)} ({(report.Inputs > 0 ? 100.0 * count / report.Inputs : 0).ToString("0.0", inv)}%) |");
        s.AppendLine($"| stale checksum (all rejected by the reader) | {report.StaleChecksums.ToString("N0", inv)} |");
        s.AppendLine($"| worst input: CPU | {(report.MaxCpuSeconds * 1000).ToString("0.0", inv)} ms (limit {limits.MaxCpuSeconds.ToString(inv)} s) |");
        s.AppendLine($"| worst input: managed allocation | {(report.MaxAllocatedBytes / 1048576.0).ToString("0.0", inv)} MiB (limit {limits.MaxAllocatedBytes >> 20} MiB) |");
        s.AppendLine($"| findings (other exceptions, limits exceeded) | {report.Findings.Count} |");
        s.AppendLine();
        s.AppendLine("Rejections past the container, by field (group and tensor names as '*'):");
        s.AppendLine();
        s.AppendLine("| field | inputs |");
        s.AppendLine("|---|---:|");
        foreach (var (field, count) in report.DecoderRejections.OrderByDescending(kv => kv.Value))
            s.AppendLine($"| {field} | {count.ToString("N0", inv)} |");
        if (report.Findings.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Findings:");
            s.AppendLine();
            foreach (var f in report.Findings.Take(20)) s.AppendLine($"- {f.Input}: {f.Problem}");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, s.ToString());
    }
}
