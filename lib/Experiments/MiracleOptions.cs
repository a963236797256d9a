// `compress --method miracle`: MIRACLE's options from the command line (kept apart from Program.cs).
//   --budget smoke|quick|paper  --seed N  --bits C_loc  --block-size D  --variational-steps I0  --retrain-steps I
//   --batch B  --lr R  --eps E  --coding-eps E  --selection sample|argmax  --shrink name=factor[,name=factor...]
//   --threads T
using System.Globalization;
using Compression.Miracle;
using Compression.Models;
using StrictCli;

static class MiracleCommandLine
{
    public static MiracleOptions From(Options o, Architecture architecture)
    {
        var s = MiracleOptions.For(o.Choice("budget", "smoke", "quick", "paper") ?? "quick", architecture, o.Long("seed") ?? 1);
        if (o.Int("bits", 1, MiracleCode.MaxBitsPerBlock) is int bits) s = s with { BitsPerBlock = bits };
        if (o.Int("block-size", 1) is int size) s = s with { BlockSize = size };
        if (o.Long("variational-steps", 0) is long i0) s = s with { VariationalSteps = i0 };
        if (o.Int("retrain-steps", 0) is int i) s = s with { RetrainSteps = i };
        if (o.Int("batch", 1) is int batch) s = s with { BatchSize = batch };
        if (o.Double("lr", 0, minExclusive: true) is double lr) s = s with { LearningRate = lr };
        if (o.Double("eps", 0, minExclusive: true) is double eps) s = s with { Epsilon = eps };
        if (o.Double("coding-eps", 0, minExclusive: true) is double ceps) s = s with { EpsilonWhileCoding = ceps };
        if (o.Double("initial-log-sigma") is double ls) s = s with { InitialLogSigma = ls };
        if (o.Int("threads", 1, 256) is int threads) s = s with { Threads = threads };
        if (o.Choice("selection", "sample", "argmax") is string sel)
            s = s with { Selection = sel == "argmax" ? CandidateSelection.Argmax : CandidateSelection.Sample };
        if (o.Get("shrink") is string shrink)
            s = s with { Shrink = shrink.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(
                p => p.Length == 2 && architecture.HasParameter(p[0]) ? p[0]
                     : throw new UsageException($"--shrink takes name=factor pairs of {architecture.Id}'s parameters, not '{string.Join("=", p)}'"),
                p => Values.Double($"--shrink {p[0]}", p[1], min: 1)) };
        return s;
    }
}
