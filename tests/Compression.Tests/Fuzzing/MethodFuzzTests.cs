// The fuzz test of `make test` at the method level: mutated EPR and soft weight-sharing files, checksums recomputed,
// decoded by the decoder each names into the registered architecture it names (CompressionMethods.Decode); and the
// method-level bombs. Every outcome must be a clean decode or a CorruptModelFileException within the stated limits.
// `make fuzz` runs the same test longer: FUZZ_INPUTS, FUZZ_SECONDS and FUZZ_SEED set the campaign, FUZZ_REPORT names
// a markdown file for its figures (results/benchmarks/fuzz.md).
using System.Globalization;
using Xunit.Abstractions;

namespace Compression.Tests.Fuzzing;

[Trait("Category", "Fuzz")]
public class MethodFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Per mutated input: a LeNet5-Caffe decode costs some 20-60 ms of CPU and 6 MiB of managed memory here; the
    /// limits are far above that and far below any bomb's (the libtorch tensors of the decoded network, at most the
    /// network's size, are native memory and not counted).
    /// </summary>
    public static readonly FuzzLimits InputLimits = new(MaxCpuSeconds: 3, MaxAllocatedBytes: 64L << 20);

    /// <summary>Per crafted bomb: rejected before work that grows with what the bomb declares.</summary>
    public static readonly FuzzLimits BombLimits = new(MaxCpuSeconds: 1, MaxAllocatedBytes: 16L << 20);

    static long Setting(string name, long fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    [Fact]
    public void SeedsDecodeIntoTheirNetworks()
    {
        var report = new FuzzReport();
        var harness = new FuzzHarness(MethodDecoding.Decode, InputLimits);
        var seeds = MethodDecoding.Seeds();
        for (int i = 0; i < seeds.Count; i++) Assert.Equal(FuzzOutcome.Decoded, harness.Try($"seed {i}", seeds[i], report));
        Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
        output.WriteLine($"{seeds.Count} seeds; worst {report.MaxCpuSeconds * 1000:0} ms CPU, {report.MaxAllocatedBytes / 1048576.0:0.0} MiB");
    }

    [Fact]
    public void MutatedFilesReachTheMethodDecodersAndAreDecodedOrRejected()
    {
        long inputs = Setting("FUZZ_INPUTS", 1_500), seconds = Setting("FUZZ_SECONDS", 40), seed = Setting("FUZZ_SEED", 18);
        var harness = new FuzzHarness(MethodDecoding.Decode, InputLimits);
        var seeds = MethodDecoding.Seeds();
        double load = Environment.ProcessorCount > 0 && File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
        var report = harness.Run(seeds, (int)seed, inputs, TimeSpan.FromSeconds(seconds));
        double loadAfter = File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
        output.WriteLine(report.Describe());
        foreach (var (field, count) in report.DecoderRejections) output.WriteLine($"  rejected past the container, {field}: {count:N0}");
        foreach (var f in report.Findings.Take(10)) output.WriteLine($"FINDING {f.Input}: {f.Problem}");
        if (Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } path)
            FuzzMarkdown.Write(path, report, seeds.Count, seed, InputLimits, load, loadAfter);
        Assert.True(report.Inputs >= Math.Min(inputs, 300), $"only {report.Inputs} inputs ran");
        Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
        // resealed mutations get past the reader into the method decoders: some decode, some are rejected there
        Assert.True(report.Outcomes[FuzzOutcome.Decoded] > 0);
        Assert.True(report.Outcomes[FuzzOutcome.RejectedByDecoder] > 0);
        Assert.Contains(report.DecoderRejections.Keys, k => k.Contains("bitstream"));
    }

    [Fact]
    public void MethodBombsAreRejectedWithinLimits()
    {
        var harness = new FuzzHarness(MethodDecoding.Decode, BombLimits);
        foreach (var bomb in Bombs.ForMethods())
        {
            var report = new FuzzReport();
            var outcome = harness.Try(bomb.Name, bomb.File, report);
            output.WriteLine($"{bomb.Name} ({bomb.File.Length:N0} bytes): {outcome}, {report.MaxCpuSeconds * 1000:0.0} ms CPU, {report.MaxAllocatedBytes / 1048576.0:0.0} MiB, " +
                             string.Join(", ", report.DecoderRejections.Keys));
            Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
            Assert.Equal(bomb.MustBeRejected ? FuzzOutcome.RejectedByDecoder : FuzzOutcome.Decoded, outcome);
        }
    }
}
