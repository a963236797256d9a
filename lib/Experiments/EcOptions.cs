// The command-line options of entropy-constrained training (compress --method ec). Kept apart from Program.cs's
// strict parser (StrictCli): out-of-range or malformed values are exit 2 with one line.
//   --budget smoke|quick|paper  --seed N  --threads T  --lambda X  --steps S  --pretrain-steps S  --batch B
//   --centres K (free centres per codebook, even)  --t0 X  --t1 X (relative temperatures)  --lr X  --centre-lr X
//   --decay F  --lambda-warmup S  --code-biases true|false  --zero-fraction Z
using Compression.EntropyConstrained;
using Compression.Methods;
using Compression.Models;

static class EcOptions
{
    /// <summary>The method with the settings of the budget and the options given.</summary>
    public static ICompressionMethod Method(Options o, Architecture architecture) => new EntropyConstrainedMethod(Settings(o, architecture));

    public static EcSettings Settings(Options o, Architecture architecture)
    {
        var s = EcSettings.For(architecture, o.Choice("budget", "smoke", "quick", "paper") ?? "quick", o.Long("seed") ?? 1);
        if (o.Int("threads", 1, 256) is int threads) s = s with { Threads = threads };
        if (o.Long("pretrain-steps", 0) is long pretrain) s = s with { Pretrain = s.Pretrain with { Steps = pretrain } };
        if (o.Double("lambda", 0) is double lambda) s = s with { Train = s.Train with { Lambda = lambda } };
        if (o.Long("steps", 1) is long steps) s = s with { Train = s.Train with { Steps = steps } };
        if (o.Int("batch", 1) is int batch) s = s with { Train = s.Train with { BatchSize = batch } };
        if (o.Double("t0", 0, minExclusive: true) is double t0) s = s with { Train = s.Train with { InitialTemperature = t0 } };
        if (o.Double("t1", 0, minExclusive: true) is double t1) s = s with { Train = s.Train with { FinalTemperature = t1 } };
        if (o.Double("lr", 0, minExclusive: true) is double lr) s = s with { Train = s.Train with { WeightLearningRate = lr } };
        if (o.Double("centre-lr", 0) is double clr) s = s with { Train = s.Train with { CentreLearningRate = clr } };
        if (o.Double("decay", 0, 1) is double decay) s = s with { Train = s.Train with { DecayFraction = decay } };
        if (o.Long("lambda-warmup", 0) is long warmup) s = s with { Train = s.Train with { LambdaWarmupSteps = warmup } };
        if (o.Int("centres", 2, 1024) is int k) s = s with { Codebook = s.Codebook with { FreeCentres = k % 2 == 0 ? k : throw new UsageException($"--centres {k}: an even number (as many above zero as below)") } };
        if (o.Double("zero-fraction", 0, 1, maxExclusive: true) is double z) s = s with { Codebook = s.Codebook with { InitialZeroFraction = z } };
        if (o.Bool("code-biases") is bool b) s = s with { Codebook = s.Codebook with { CodeBiases = b } };
        return s;
    }
}
