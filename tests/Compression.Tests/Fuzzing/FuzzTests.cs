// The fuzz test of `make test`: mutated committed results and fresh version-2 files, checksums recomputed, through
// read + decode + self-information; and the crafted bombs. Every outcome must be a clean decode or a
// CorruptModelFileException within the stated limits. `make fuzz` runs the same harness for minutes.
using Compression.Format;
using Compression.Tests.Format;
using Xunit.Abstractions;

namespace Compression.Tests.Fuzzing;

[Trait("Category", "Fuzz")]
public class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Per mutated input: far above what any seed needs (a few ms, a few MiB), far below a bomb's.</summary>
    public static readonly FuzzLimits InputLimits = new(MaxCpuSeconds: 2, MaxAllocatedBytes: 96L << 20);

    /// <summary>Per crafted bomb.</summary>
    public static readonly FuzzLimits BombLimits = new(MaxCpuSeconds: 1, MaxAllocatedBytes: 32L << 20);

    /// <summary>The committed results (version 1), a small sample, and fresh version-2 files with state tensors and raw payloads.</summary>
    public static List<byte[]> Seeds()
    {
        var seeds = CommittedFiles.All().Select(File.ReadAllBytes).ToList();
        seeds.Add(ModelSamples.Small().ToBytes());
        for (int i = 0; seeds.Count < CommittedFiles.All().Count + 6; i++)
        {
            var model = ModelSamples.Random(new Random(1000 + i), version2: true);
            if (model.FormatVersion == FileLayout.Version2 && model.Groups.Count > 0) seeds.Add(model.ToBytes());
        }
        return seeds;
    }

    [Fact]
    public void SeedsDecodeCleanly()
    {
        var report = new FuzzReport();
        var harness = new FuzzHarness(FormatDecoding.Decode, InputLimits);
        var seeds = Seeds();
        for (int i = 0; i < seeds.Count; i++) Assert.Equal(FuzzOutcome.Decoded, harness.Try($"seed {i}", seeds[i], report));
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void MutatedFilesDecodeOrAreRejectedWithinLimits()
    {
        var harness = new FuzzHarness(FormatDecoding.Decode, InputLimits);
        var report = harness.Run(Seeds(), seed: 18, inputs: 12_000, wallLimit: TimeSpan.FromSeconds(25));
        output.WriteLine(report.Describe());
        foreach (var f in report.Findings.Take(5)) output.WriteLine($"{f.Input}: {f.Problem}");
        Assert.True(report.Inputs >= 1_000, $"only {report.Inputs} inputs ran");
        Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
        // The checksum stops every stale mutation; resealed ones reach the decoder and some decode.
        Assert.True(report.Outcomes[FuzzOutcome.RejectedByDecoder] > 0);
        Assert.True(report.Outcomes[FuzzOutcome.Decoded] > 0);
    }

    [Fact]
    public void BombsAreRejectedWithinLimits()
    {
        var harness = new FuzzHarness(FormatDecoding.Decode, BombLimits);
        foreach (var bomb in Bombs.All())
        {
            var report = new FuzzReport();
            var outcome = harness.Try(bomb.Name, bomb.File, report);
            output.WriteLine($"{bomb.Name} ({bomb.File.Length:N0} bytes): {outcome}, {report.MaxCpuSeconds * 1000:0.0} ms CPU, {report.MaxAllocatedBytes / 1024.0 / 1024:0.0} MiB");
            Assert.Empty(report.Findings.Select(f => $"{f.Input}: {f.Problem}"));
            if (bomb.MustBeRejected) Assert.Equal(FuzzOutcome.RejectedByDecoder, outcome);
            else Assert.Equal(FuzzOutcome.Decoded, outcome);
        }
    }

    [Fact]
    public void HarnessCountsOtherExceptionsAndLimitBreaches()
    {
        // The harness must itself be able to fail: a decoder that throws something else, or allocates too much.
        var seed = ModelSamples.Small().ToBytes();
        var report = new FuzzReport();
        var throwing = new FuzzHarness(_ => throw new InvalidOperationException("boom"), InputLimits);
        Assert.Equal(FuzzOutcome.OtherException, throwing.Try("throws", seed, report));
        var hungry = new FuzzHarness(_ => new byte[4 << 20], new FuzzLimits(10, 1 << 20));
        Assert.Equal(FuzzOutcome.Decoded, hungry.Try("allocates", seed, report));
        Assert.Equal(FuzzOutcome.RejectedByReader, throwing.Try("truncated", seed[..10], report));
        Assert.Equal(2, report.Findings.Count);
        Assert.Contains("InvalidOperationException: boom", report.Findings[0].Problem);
        Assert.Contains("allocated", report.Findings[1].Problem);
        Assert.Equal(3, report.Inputs);
    }
}
