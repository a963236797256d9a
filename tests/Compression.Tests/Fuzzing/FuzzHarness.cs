// A mutation fuzzer for compressed-model files. It mutates real files (bit flips, byte values, varints set to huge
// numbers, insertions, deletions, truncations, splices between files), RECOMPUTES the CRC-32 after most mutations so
// that they get past the checksum into the parsing of groups, tables, decoder parameters and bitstreams, and runs
// a decode delegate on each input. Every outcome must be a clean decode or a CorruptModelFileException, within a
// stated CPU time and allocation per input; anything else is a finding. The decode delegate is the level under
// test: the container and coder here (FormatDecoding), the methods' decoders later. Shared by the fuzz test in
// `make test` and the longer campaign of `make fuzz` (tests/Benchmarks links this file).
using System.Buffers.Binary;
using System.Diagnostics;
using Compression.Format;

namespace Compression.Tests.Fuzzing;

/// <summary>What one input did.</summary>
public enum FuzzOutcome
{
    /// <summary>The decode delegate returned.</summary>
    Decoded,
    /// <summary>CorruptModelFileException while reading the container (CompressedModelFile.FromBytes).</summary>
    RejectedByReader,
    /// <summary>CorruptModelFileException after the container was read (symbol counts, bitstreams, method checks).</summary>
    RejectedByDecoder,
    /// <summary>Any other exception: a finding.</summary>
    OtherException,
}

/// <summary>Limits per input: CPU time of the decoding thread and bytes it allocated.</summary>
public sealed record FuzzLimits(double MaxCpuSeconds, long MaxAllocatedBytes)
{
    public override string ToString() => $"{MaxCpuSeconds:0.###} s CPU and {MaxAllocatedBytes / (1 << 20)} MiB allocated per input";
}

/// <summary>One input that broke the rules: another exception, or over a limit.</summary>
public sealed record FuzzFinding(string Input, string Problem, byte[] Bytes);

/// <summary>Counts per outcome, the worst input's cost, and throughput.</summary>
public sealed class FuzzReport
{
    public Dictionary<FuzzOutcome, long> Outcomes { get; } = Enum.GetValues<FuzzOutcome>().ToDictionary(o => o, _ => 0L);
    /// <summary>Inputs whose mutation kept the stale checksum (the reader must reject each).</summary>
    public long StaleChecksums { get; set; }
    public long Inputs { get; set; }
    public double MaxCpuSeconds { get; set; }
    public long MaxAllocatedBytes { get; set; }
    public double WallSeconds { get; set; }
    public List<FuzzFinding> Findings { get; } = [];

    /// <summary>Rejections after the container was read, by the field named (group and tensor names as '*').</summary>
    public SortedDictionary<string, long> DecoderRejections { get; } = new(StringComparer.Ordinal);

    public double InputsPerSecond => WallSeconds > 0 ? Inputs / WallSeconds : 0;

    public string Describe() =>
        $"{Inputs:N0} inputs in {WallSeconds:0.0} s ({InputsPerSecond:N0}/s): " +
        string.Join(", ", Outcomes.Select(o => $"{o.Key} {o.Value:N0}")) +
        $"; {StaleChecksums:N0} with a stale checksum; worst input {MaxCpuSeconds * 1000:0.0} ms CPU, {MaxAllocatedBytes / 1024.0 / 1024:0.0} MiB allocated; {Findings.Count} findings";
}

public sealed class FuzzHarness
{
    readonly Func<byte[], object?> decode;
    readonly FuzzLimits limits;

    /// <param name="decode">Decodes a file's bytes at the level under test (throws CorruptModelFileException on bad input).</param>
    public FuzzHarness(Func<byte[], object?> decode, FuzzLimits limits)
    {
        this.decode = decode;
        this.limits = limits;
    }

    /// <summary>Runs <paramref name="input"/> once; returns its outcome, or adds a finding to <paramref name="report"/>.</summary>
    public FuzzOutcome Try(string name, byte[] input, FuzzReport report)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        double cpuBefore = Benchmarks.ThreadClock.Now();
        FuzzOutcome outcome;
        string? problem = null;
        bool read = false;
        try
        {
            CompressedModelFile.FromBytes(input);
            read = true;
            decode(input);
            outcome = FuzzOutcome.Decoded;
        }
        catch (CorruptModelFileException e)
        {
            outcome = read ? FuzzOutcome.RejectedByDecoder : FuzzOutcome.RejectedByReader;
            if (read)
            {
                report.DecoderRejections[Field(e.Field)] = report.DecoderRejections.GetValueOrDefault(Field(e.Field)) + 1;
            }
        }
        catch (Exception e)
        {
            outcome = FuzzOutcome.OtherException;
            problem = $"{e.GetType().Name}: {e.Message}";
        }
        double cpu = Benchmarks.ThreadClock.Now() - cpuBefore;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        report.Inputs++;
        report.Outcomes[outcome]++;
        report.MaxCpuSeconds = Math.Max(report.MaxCpuSeconds, cpu);
        report.MaxAllocatedBytes = Math.Max(report.MaxAllocatedBytes, allocated);
        if (cpu > limits.MaxCpuSeconds) problem = (problem == null ? "" : problem + "; ") + $"took {cpu:0.000} s CPU, over {limits.MaxCpuSeconds} s";
        if (allocated > limits.MaxAllocatedBytes) problem = (problem == null ? "" : problem + "; ") + $"allocated {allocated:N0} bytes, over {limits.MaxAllocatedBytes:N0}";
        if (problem != null) report.Findings.Add(new FuzzFinding(name, problem, input));
        return outcome;
    }

    /// <summary>A rejection's field with group and tensor names (which may hold quotes themselves) as '*'.</summary>
    static string Field(string field)
    {
        var m = System.Text.RegularExpressions.Regex.Match(field, "^group '.*' tensor '.*'$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (m.Success) return "group '*' tensor '*'";
        m = System.Text.RegularExpressions.Regex.Match(field, "^group '.*' ([a-z -]+)$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (m.Success) return $"group '*' {m.Groups[1].Value}";
        return System.Text.RegularExpressions.Regex.Replace(field, "'.*'", "'*'", System.Text.RegularExpressions.RegexOptions.Singleline);
    }

    /// <summary>
    /// Mutates the seeds (valid files) until <paramref name="inputs"/> inputs or <paramref name="wallLimit"/> have
    /// passed, whichever comes first; the same seed and seeds give the same inputs.
    /// </summary>
    public FuzzReport Run(IReadOnlyList<byte[]> seeds, int seed, long inputs, TimeSpan wallLimit, FuzzReport? report = null)
    {
        report ??= new FuzzReport();
        var layouts = seeds.Select(Layout).ToArray();
        var rng = new Random(seed);
        var watch = Stopwatch.StartNew();
        double before = report.WallSeconds;
        for (long i = 0; i < inputs && watch.Elapsed < wallLimit; i++)
        {
            int from = rng.Next(seeds.Count);
            var (file, how) = Mutate(seeds[from], layouts[from], seeds[rng.Next(seeds.Count)], rng);
            bool reseal = rng.Next(16) != 0;
            if (reseal) Reseal(file);
            else if (!file.AsSpan().SequenceEqual(seeds[from])) report.StaleChecksums++;
            Try($"seed {from}, {how}{(reseal ? ", resealed" : ", stale checksum")} (run seed {seed}, input {i})", file, report);
        }
        report.WallSeconds = before + watch.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>A stretch of a file attributed to one size part (header, group record, tables, bitstream, ...).</summary>
    public readonly record struct Region(string Part, int Start, int Length);

    /// <summary>The regions of a valid file, in file order, as its writer accounted them.</summary>
    public static Region[] Layout(byte[] file) =>
        [.. CompressedModelFile.Layout(CompressedModelFile.FromBytes(file)).Select(s => new Region(s.Part, s.Start, s.Length))];

    static readonly ulong[] Interesting =
        [0, 1, 2, 0x7F, 0x80, 0xFF, 0x3FFF, 0x4000, 0xFFFF, 0x10000, 1UL << 28, int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, long.MaxValue, ulong.MaxValue];

    /// <summary>
    /// One to three mutations of <paramref name="file"/> (<paramref name="other"/> is the splice partner). Positions
    /// favour the structured parts: a third of them fall in the bitstreams, where length-preserving changes get past
    /// the reader to the decoder, a third in tables, records and decoder parameters, the rest anywhere.
    /// </summary>
    public static (byte[] File, string How) Mutate(byte[] file, Region[] layout, byte[] other, Random rng)
    {
        var bytes = (byte[])file.Clone();
        var how = new List<string>();
        for (int m = rng.Next(1, 4); m > 0 && bytes.Length > 0; m--)
        {
            int body = Math.Max(1, bytes.Length - 4);
            int choice = rng.Next(3);
            var pool = layout.Where(r => r.Length > 0 && (choice == 0 ? r.Part == SizePart.Bitstream : r.Part is not (SizePart.Bitstream or SizePart.Checksum))).ToArray();
            bool inBitstream = choice == 0 && pool.Length > 0;
            int at = choice < 2 && pool.Length > 0 ? PickIn(pool[rng.Next(pool.Length)], rng) : rng.Next(body);
            at = Math.Min(at, bytes.Length - 1);
            switch (inBitstream ? rng.Next(3) : rng.Next(9))
            {
                case 0:
                    int bit = rng.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    how.Add($"flip bit {bit} of byte {at}");
                    break;
                case 1:
                    byte value = (byte)rng.Next(256);
                    bytes[at] = value;
                    how.Add($"byte {at} = 0x{value:X2}");
                    break;
                case 2:
                    byte special = new byte[] { 0x00, 0x01, 0x7F, 0x80, 0xFF }[rng.Next(5)];
                    bytes[at] = special;
                    how.Add($"byte {at} = 0x{special:X2}");
                    break;
                case 3:
                {
                    // A varint field set to a huge or boundary value.
                    ulong v = Interesting[rng.Next(Interesting.Length)];
                    Span<byte> varint = stackalloc byte[10];
                    int n = Compression.Coding.Varint.Write(varint, v);
                    int replaced = Math.Min(rng.Next(1, 4), bytes.Length - at);
                    bytes = [.. bytes[..at], .. varint[..n], .. bytes[(at + replaced)..]];
                    how.Add($"varint {v} over {replaced} bytes at {at}");
                    break;
                }
                case 4:
                {
                    var inserted = new byte[rng.Next(1, 9)];
                    rng.NextBytes(inserted);
                    bytes = [.. bytes[..at], .. inserted, .. bytes[at..]];
                    how.Add($"insert {inserted.Length} bytes at {at}");
                    break;
                }
                case 5:
                {
                    int count = Math.Min(rng.Next(1, 9), bytes.Length - at);
                    bytes = [.. bytes[..at], .. bytes[(at + count)..]];
                    how.Add($"delete {count} bytes at {at}");
                    break;
                }
                case 6:
                {
                    int end = rng.Next(at, bytes.Length + 1);
                    bytes = bytes[..end];
                    how.Add($"truncate to {end}");
                    break;
                }
                case 7:
                {
                    // A chunk of the same file copied elsewhere in it (duplicated records, tables, streams).
                    int from = rng.Next(bytes.Length);
                    int count = Math.Min(rng.Next(1, 33), bytes.Length - from);
                    bytes = [.. bytes[..at], .. bytes.AsSpan(from, count), .. bytes[at..]];
                    how.Add($"copy {count} bytes from {from} to {at}");
                    break;
                }
                default:
                {
                    // Head of this file, tail of another.
                    int cut = rng.Next(bytes.Length + 1), otherCut = rng.Next(other.Length + 1);
                    bytes = [.. bytes[..cut], .. other[otherCut..]];
                    how.Add($"splice at {cut} with another file from {otherCut}");
                    break;
                }
            }
        }
        return (bytes, string.Join(", ", how));
    }

    static int PickIn(Region region, Random rng) => region.Start + rng.Next(region.Length);

    /// <summary>Overwrites the last four bytes with the CRC-32 of the rest (a file of fewer than 4 bytes stays as is).</summary>
    public static byte[] Reseal(byte[] file)
    {
        if (file.Length >= 4) BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }
}
