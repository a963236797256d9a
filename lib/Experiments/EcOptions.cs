// The command-line options of entropy-constrained training (compress --method ec). Kept apart from Program.cs's
// parser: it reads named values through a getter, so it works with any parser that can say "the value of --name".
//   --budget smoke|quick|paper  --seed N  --threads T  --lambda X  --steps S  --pretrain-steps S  --batch B
//   --centres K (free centres per codebook, even)  --t0 X  --t1 X (relative temperatures)  --lr X  --centre-lr X
//   --decay F  --lambda-warmup S  --code-biases true|false  --zero-fraction Z
using System.Globalization;
using Compression.EntropyConstrained;
using Compression.Methods;
using Compression.Models;

static class EcOptions
{
    /// <summary>The method with the settings of the budget and the options given.</summary>
    public static ICompressionMethod Method(Func<string, string?> get, Architecture architecture) => new EntropyConstrainedMethod(Settings(get, architecture));

    public static EcSettings Settings(Func<string, string?> get, Architecture architecture)
    {
        double? D(string name) => get(name) is string v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
        long? L(string name) => get(name) is string v ? long.Parse(v, CultureInfo.InvariantCulture) : null;
        var s = EcSettings.For(architecture, get("budget") ?? "quick", L("seed") ?? 1);
        if (L("threads") is long threads) s = s with { Threads = (int)threads };
        if (L("pretrain-steps") is long pretrain) s = s with { Pretrain = s.Pretrain with { Steps = pretrain } };
        if (D("lambda") is double lambda) s = s with { Train = s.Train with { Lambda = lambda } };
        if (L("steps") is long steps) s = s with { Train = s.Train with { Steps = steps } };
        if (L("batch") is long batch) s = s with { Train = s.Train with { BatchSize = (int)batch } };
        if (D("t0") is double t0) s = s with { Train = s.Train with { InitialTemperature = t0 } };
        if (D("t1") is double t1) s = s with { Train = s.Train with { FinalTemperature = t1 } };
        if (D("lr") is double lr) s = s with { Train = s.Train with { WeightLearningRate = lr } };
        if (D("centre-lr") is double clr) s = s with { Train = s.Train with { CentreLearningRate = clr } };
        if (D("decay") is double decay) s = s with { Train = s.Train with { DecayFraction = decay } };
        if (L("lambda-warmup") is long warmup) s = s with { Train = s.Train with { LambdaWarmupSteps = warmup } };
        if (L("centres") is long k) s = s with { Codebook = s.Codebook with { FreeCentres = (int)k } };
        if (D("zero-fraction") is double z) s = s with { Codebook = s.Codebook with { InitialZeroFraction = z } };
        if (get("code-biases") is string b) s = s with { Codebook = s.Codebook with { CodeBiases = bool.Parse(b) } };
        return s;
    }
}
