// `compress --method miracle`: MIRACLE's options from the command line (kept apart from Program.cs).
//   --budget smoke|quick|paper  --seed N  --bits C_loc  --block-size D  --variational-steps I0  --retrain-steps I
//   --batch B  --lr R  --eps E  --coding-eps E  --selection sample|argmax  --shrink name=factor[,name=factor...]
//   --threads T
using System.Globalization;
using Compression.Miracle;
using Compression.Models;

static class MiracleCommandLine
{
    public static MiracleOptions From(Options o, Architecture architecture)
    {
        var s = MiracleOptions.For(o.Get("budget") ?? "quick", architecture, o.Long("seed") ?? 1);
        if (o.Long("bits") is long bits) s = s with { BitsPerBlock = bits is >= 1 and <= MiracleCode.MaxBitsPerBlock ? (int)bits : throw new ArgumentException($"--bits must be 1..{MiracleCode.MaxBitsPerBlock}") };
        if (o.Long("block-size") is long size) s = s with { BlockSize = size >= 1 ? (int)size : throw new ArgumentException("--block-size must be positive") };
        if (o.Long("variational-steps") is long i0) s = s with { VariationalSteps = i0 >= 0 ? i0 : throw new ArgumentException("--variational-steps must be >= 0") };
        if (o.Long("retrain-steps") is long i) s = s with { RetrainSteps = i >= 0 ? (int)i : throw new ArgumentException("--retrain-steps must be >= 0") };
        if (o.Long("batch") is long batch) s = s with { BatchSize = batch >= 1 ? (int)batch : throw new ArgumentException("--batch must be positive") };
        if (o.Double("lr") is double lr) s = s with { LearningRate = lr };
        if (o.Double("eps") is double eps) s = s with { Epsilon = eps };
        if (o.Double("coding-eps") is double ceps) s = s with { EpsilonWhileCoding = ceps };
        if (o.Double("initial-log-sigma") is double ls) s = s with { InitialLogSigma = ls };
        if (o.Long("threads") is long threads) s = s with { Threads = (int)threads };
        if (o.Get("selection") is string sel) s = s with { Selection = sel.ToLowerInvariant() switch
        {
            "sample" => CandidateSelection.Sample,
            "argmax" => CandidateSelection.Argmax,
            _ => throw new ArgumentException($"unknown selection '{sel}' (sample, argmax)"),
        } };
        if (o.Get("shrink") is string shrink)
            s = s with { Shrink = shrink.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(
                p => p.Length == 2 ? p[0] : throw new ArgumentException($"--shrink takes name=factor pairs, not '{string.Join("=", p)}'"),
                p => double.Parse(p[1], CultureInfo.InvariantCulture)) };
        return s;
    }
}
