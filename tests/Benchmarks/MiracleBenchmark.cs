// MIRACLE's candidate search on one core: making the shared table of 2^bits candidates (SplitMix64 + the portable
// inverse normal CDF) and searching it for blocks of 20, 32 and 40 variables (q/p importance weights, the paper's
// sampled index), in CPU seconds of the benchmark's thread. Prints a markdown table; --out writes it to a file.
//   dotnet run -c Release --project tests/Benchmarks -- miracle [--bits 20] [--repeats 3] [--out results/benchmarks/miracle.md]
using System.Globalization;
using System.Text;
using Compression.Miracle;

namespace Benchmarks;

static class MiracleBenchmark
{
    public static int Run(string[] args)
    {
        int bits = 20, repeats = 3;
        string? output = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bits": bits = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 1;
            }
        }
        int count = 1 << bits, stride = 40;
        double start = ThreadClock.Now();
        var table = CandidateGenerator.Table(seed: 1, count, stride, threads: 1);
        double tableSeconds = ThreadClock.Now() - start;
        var report = new StringBuilder();
        report.AppendLine($"MIRACLE candidate search, {count:N0} candidates (2^{bits}), one core (CPU seconds of the thread), best of {repeats}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average before: {MachineLoad.Average()}");
        report.AppendLine();
        report.AppendLine("| step | variables | seconds | candidates/s |");
        report.AppendLine("|---|---:|---:|---:|");
        report.AppendLine(FormattableString.Invariant($"| candidate table (SplitMix64 + inverse CDF) | {stride} | {tableSeconds:F3} | {count / tableSeconds:N0} |"));
        var random = new Random(1);
        foreach (int d in new[] { 20, 32, 40 })
        {
            var mu = Enumerable.Range(0, d).Select(_ => (random.NextDouble() - 0.5) * 0.1).ToArray();
            var sq = Enumerable.Range(0, d).Select(_ => 0.02 + random.NextDouble() * 0.05).ToArray();
            var sp = Enumerable.Repeat(0.08, d).ToArray();
            double best = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                double t0 = ThreadClock.Now();
                CandidateSearch.Choose(table, stride, count, mu, sq, sp, CandidateSelection.Sample, (r + 0.5) / repeats);
                best = Math.Min(best, ThreadClock.Now() - t0);
            }
            report.AppendLine(FormattableString.Invariant($"| search of one block (sampled index) | {d} | {best:F3} | {count / best:N0} |"));
        }
        Console.Write(report);
        if (output != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report.ToString());
        }
        return 0;
    }
}
