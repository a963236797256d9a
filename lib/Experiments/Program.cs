// Experiments: EPR runs, lambda sweeps, verification of committed results, step benchmarks.
//   epr    --model lenet300-100|lenet5-caffe --budget smoke|quick|paper [--lambda X] [--seed N] [--steps S] [--out results/<name>]
//   sweep  --model M --budget B --lambdas 1,2,5 [--seed N] [--steps S] [--out results/<name>-sweep]   (writes pareto.csv)
//   verify [results]                                                   (non-zero exit when anything disagrees)
//   summary [dir]                                                      (every summary.json below dir, beside the papers)
//   sws    --model M --budget smoke|quick|paper [--tau X] [--retrain-steps S] ... [--out results/sws-<model>]   (all options: Usage below)
// (The EPR step benchmark is `dotnet run -c Release --project tests/Benchmarks -- epr`.)
// Common: --data <dir> (default $REPRO_DATA or ./data), --device auto|cpu|cuda, --threads T.
using System.Globalization;
using Compression.Epr;
using Compression.Reporting;
using Compression.Training;

return Cli.Run(args);

static class Cli
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Usage(); return args.Length == 0 ? 2 : 0; }
        var options = Options.Parse(args.Skip(1).ToArray());
        string data = options.Get("data") ?? Datasets.DataDirectory.Default();
        try
        {
            return args[0] switch
            {
                "epr" => Epr(options, data),
                "sweep" => Sweep(options, data),
                "verify" => Verify(options, data),
                "sws" => Sws(options, data),
                "plain" => Plain(options, data),
                "summary" => Summary(args),
                _ => Unknown(args[0]),
            };
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>summary [dir]: the table of every finished run below dir, beside the papers' numbers.</summary>
    static int Summary(string[] args)
    {
        string root = args.Length > 1 && !args[1].StartsWith("--") ? args[1] : "results";
        Console.WriteLine(ResultsTable.ToText(ResultsTable.Collect(root)));
        return 0;
    }

    static int Unknown(string command) { Console.Error.WriteLine($"unknown command '{command}'"); Usage(); return 2; }

    static void Usage() => Console.Error.WriteLine("""
        usage: Experiments <command> [options]
          epr    --model lenet300-100|lenet5-caffe --budget smoke|quick|paper [--lambda X] [--seed N] [--steps S] [--out results/<name>]
          sweep  --model M --budget B --lambdas 1,2,5 [--seed N] [--steps S] [--out results/<name>]
          verify [results-dir]
          sws    --model M --budget B [--tau X] [--pi0 P] [--retrain-steps S] [--pretrain-steps S] [--tau-warmup S] [--decay F] [--tau-ramp F --tau-final-factor M]
                 [--other-alpha A] [--other-beta B]
                 [--components J] [--biases-in-prior true|false] [--fine-tune-steps S] [--fine-tune-lr R] [--validation N] [--seed N] [--out results/sws-<model>]
        common: --data <dir> (default $REPRO_DATA, else ./data)  --device auto|cpu|cuda  --threads T
        """);

    static EprSettings Settings(Options o, double? lambda = null)
    {
        string model = o.Get("model") ?? throw new ArgumentException("--model is required");
        string budget = o.Get("budget") ?? "quick";
        var s = EprSettings.For(model, budget, lambda ?? o.Double("lambda"), o.Long("seed") ?? 1);
        if (o.Long("steps") is long steps) s = s with { Steps = steps };
        if (o.Get("device") is string device) s = s with { Device = device };
        if (o.Long("threads") is long threads) s = s with { Threads = (int)threads };
        if (o.Get("grouping") is string grouping) s = s with { Grouping = grouping };
        if (o.Double("lr") is double lr) s = s with { LearningRates = s.LearningRates with { Latents = lr } };
        if (o.Double("decoder-lr") is double clr) s = s with { LearningRates = s.LearningRates with { Decoders = clr } };
        if (o.Double("density-lr") is double dlr) s = s with { LearningRates = s.LearningRates with { Densities = dlr } };
        if (o.Double("decay") is double decay) s = s with { DecayFraction = decay };
        if (o.Double("init-steps-per-rms") is double spr) s = s with { Initialization = s.Initialization with { StepsPerRms = spr } };
        return s;
    }

    static int Epr(Options o, string data)
    {
        var s = Settings(o);
        string output = o.Get("out") ?? Path.Combine("results", $"epr-{s.Model}");
        EprExperiment.Run(s, data, output);
        return 0;
    }

    /// <summary>Soft weight-sharing: pretrain (or reuse the cached reference network), retrain with the mixture prior, code, verify.</summary>
    static int Sws(Options o, string data)
    {
        string model = o.Get("model") ?? throw new ArgumentException("--model is required");
        var s = Compression.SoftWeightSharing.SwsSettings.For(model, o.Get("budget") ?? "quick", o.Long("seed") ?? 1);
        if (o.Long("threads") is long threads) s = s with { Threads = (int)threads };
        if (o.Double("tau") is double tau) s = s with { Retrain = s.Retrain with { Tau = tau } };
        if (o.Double("decay") is double decay) s = s with { Retrain = s.Retrain with { DecayFraction = decay } };
        if (o.Double("tau-ramp") is double ramp) s = s with { Retrain = s.Retrain with { TauRampFraction = ramp } };
        if (o.Double("tau-final-factor") is double factor) s = s with { Retrain = s.Retrain with { TauFinalFactor = factor } };
        if (o.Long("tau-warmup") is long warmup) s = s with { Retrain = s.Retrain with { TauWarmupSteps = warmup } };
        if (o.Long("retrain-steps") is long retrain) s = s with { Retrain = s.Retrain with { Steps = retrain } };
        if (o.Long("pretrain-steps") is long pretrain) s = s with { Pretrain = s.Pretrain with { Steps = pretrain } };
        if (o.Double("pi0") is double pi0) s = s with { Prior = s.Prior with { ZeroProportion = pi0 } };
        if (o.Double("other-alpha") is double oa) s = s with { Prior = s.Prior with { OtherAlpha = oa } };
        if (o.Double("other-beta") is double ob) s = s with { Prior = s.Prior with { OtherBeta = ob } };
        if (o.Long("components") is long j) s = s with { Prior = s.Prior with { Components = (int)j } };
        if (o.Get("biases-in-prior") is string b) s = s with { Prior = s.Prior with { BiasesInPrior = bool.Parse(b) } };
        if (o.Long("fine-tune-steps") is long ft) s = s with { FineTuning = s.FineTuning with { Steps = ft } };
        if (o.Double("fine-tune-lr") is double ftlr) s = s with { FineTuning = s.FineTuning with { LearningRate = ftlr } };
        if (o.Long("validation") is long val) s = s with { ValidationCount = (int)val };
        if (o.Get("experiment") is string name) s = s with { Experiment = name };
        string output = o.Get("out") ?? Path.Combine("results", s.Experiment);
        var result = Compression.SoftWeightSharing.SwsExperiment.Run(s, data, output);
        foreach (var c in result.CodingCandidates) Console.WriteLine($"  coding candidate {c.Layout,-6} groups, {c.Tables,-9} tables: {c.Bytes} B");
        Console.WriteLine($"{output}: {result.Summary.CompressedBytes} B ({result.Summary.CompressionRatio:F1}x), decoded test error {100 * result.Summary.TestError:F2}%");
        return 0;
    }

    static int Sweep(Options o, string data)
    {
        var lambdas = (o.Get("lambdas") ?? throw new ArgumentException("--lambdas is required, e.g. 1,2,5"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var first = Settings(o, lambdas[0]);
        string root = o.Get("out") ?? Path.Combine("results", $"epr-{first.Model}-sweep");
        var rows = new List<string> { "lambda,compressed_bytes,test_error,experiment" };
        foreach (var lambda in lambdas)
        {
            var s = Settings(o, lambda);
            string dir = Path.Combine(root, $"lambda-{lambda.ToString(CultureInfo.InvariantCulture)}");
            var outcome = EprExperiment.Run(s, data, dir);
            rows.Add(string.Join(",", lambda.ToString("R", CultureInfo.InvariantCulture), outcome.Summary.CompressedBytes,
                outcome.Summary.TestError.ToString("R", CultureInfo.InvariantCulture), Path.GetFileName(dir)));
            Datasets.AtomicFile.WriteAllText(Path.Combine(root, "pareto.csv"), string.Join("\n", rows) + "\n");
        }
        Console.WriteLine(string.Join("\n", rows));
        return 0;
    }

    /// <summary>Diagnostic: the uncompressed network under the same optimiser (Adam 1e-3, batch 128), test error as it trains.</summary>
    static int Plain(Options o, string data)
    {
        var architecture = Compression.Models.Architecture.ById(o.Get("model") ?? throw new ArgumentException("--model is required"));
        long steps = o.Long("steps") ?? 10_000;
        Devices.Seed(o.Long("seed") ?? 1, (int)(o.Long("threads") ?? 1));
        using var train = Compression.Data.MnistTensors.Load(data, train: true);
        using var test = Compression.Data.MnistTensors.Load(data, train: false);
        var weights = architecture.Initialize().Select(t => { var p = new TorchSharp.Modules.Parameter(t); p.DetachFromDisposeScope(); return p; }).ToList();
        var adam = TorchSharp.torch.optim.Adam(weights, lr: 1e-3);
        var sampler = new Compression.Data.BatchSampler(train.Count, 128, o.Long("seed") ?? 1);
        for (long step = 0; step < steps; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (x, y) = sampler.BatchAt(train, step);
            var loss = TorchSharp.torch.nn.functional.cross_entropy(architecture.Forward(x, weights.Cast<TorchSharp.torch.Tensor>().ToList()), y);
            adam.zero_grad();
            loss.backward();
            adam.step();
            if ((step + 1) % 1000 == 0)
                Console.WriteLine($"step {step + 1}: batch CE {loss.item<float>():F4}, test error {100 * EprExperiment.DecodedError(architecture, weights.Cast<TorchSharp.torch.Tensor>().ToList(), data):F2}%");
        }
        return 0;
    }

    static int Verify(Options o, string data)
    {
        string root = o.Positional.FirstOrDefault() ?? "results";
        var runs = Verification.Find(root);
        if (runs.Count == 0) { Console.Error.WriteLine($"no summary.json under {root}"); return 1; }
        int failures = 0;
        foreach (var dir in runs)
        {
            var r = Verification.Verify(dir, data);
            if (!r.Ok) failures++;
            Console.WriteLine($"{(r.Ok ? "ok  " : "FAIL")} {dir,-50} {r.Method,-4} {r.Model,-13} {r.Bytes,8} B  error {100 * r.Error,6:F2}%{(r.Ok ? "" : "  " + r.Problem)}");
        }
        Console.WriteLine($"{runs.Count - failures}/{runs.Count} verified");
        return failures == 0 ? 0 : 1;
    }
}

/// <summary>--name value pairs and positional arguments.</summary>
sealed class Options
{
    readonly Dictionary<string, string> named = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Positional { get; } = [];

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--"))
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                o.named[args[i][2..]] = args[++i];
            }
            else o.Positional.Add(args[i]);
        }
        return o;
    }

    public string? Get(string name) => named.TryGetValue(name, out var v) ? v : null;
    public double? Double(string name) => Get(name) is string v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
    public long? Long(string name) => Get(name) is string v ? long.Parse(v, CultureInfo.InvariantCulture) : null;
}
