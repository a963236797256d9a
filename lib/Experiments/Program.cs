// Experiments: compress networks with any registered method, sweeps, verification of committed results, the
// byte table of any file.
//   compress --method epr|sws --model <id> --budget smoke|quick|paper [method options] [--out results/<name>]
//   epr      --model <id> ...        (compress --method epr)       sws --model <id> ...   (compress --method sws)
//   sweep    --model M --budget B --lambdas 1,2,5 [--seed N] [--steps S] [--out results/<name>-sweep]   (EPR; writes pareto.csv)
//   verify   [results]                 (non-zero exit when anything disagrees)
//   summary  [dir]                     (every summary.json below dir, beside the papers)
//   inspect  <file> ...                (the byte table of compressed files; no data needed)
//   decompress <file> ... [--out weights.safetensors|.pt|.dat|<folder>] [--format F] [--model <id>]  (decoded networks as weight files)
// (The EPR step benchmark is `dotnet run -c Release --project tests/Benchmarks -- epr`.)
// Common: --data <dir> (default $REPRO_DATA or ./data), --device auto|cpu|cuda, --threads T.
using System.Globalization;
using Compression.Data;
using Compression.Epr;
using Compression.Format;
using Compression.Grouping;
using Compression.Interop;
using Compression.Methods;
using Compression.Models;
using Compression.Runs;
using Compression.SoftWeightSharing;
using Compression.Training;

return Cli.Run(args);

static class Cli
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Usage(); return args.Length == 0 ? 2 : 0; }
        try
        {
            var options = Options.Parse(args.Skip(1).ToArray());
            string data = options.Get("data") ?? Datasets.DataDirectory.Default();
            return args[0] switch
            {
                "compress" => Compress(options, data, options.Get("method") ?? throw new ArgumentException("--method is required (epr or sws)")),
                "epr" => Compress(options, data, "epr"),
                "sws" => Compress(options, data, "sws"),
                "sweep" => Sweep(options, data),
                "verify" => Verify(options, data),
                "summary" => Summary(options),
                "inspect" => Inspect(options),
                "decompress" => Decompress(options),
                _ => Unknown(args[0]),
            };
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or FormatException
                                       or OverflowException or CorruptModelFileException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>summary [dir]: the table of every finished run below dir, beside the papers' numbers.</summary>
    static int Summary(Options o)
    {
        string root = o.Positional.FirstOrDefault() ?? "results";
        Console.WriteLine(ResultsTable.ToText(ResultsTable.Collect(root)));
        return 0;
    }

    static int Unknown(string command) { Console.Error.WriteLine($"unknown command '{command}'"); Usage(); return 2; }

    static void Usage() => Console.Error.WriteLine($$"""
        usage: Experiments <command> [options]
          compress --method epr|sws --model <id> --budget smoke|quick|paper [options below] [--out results/<name>]
          epr      --model <id> --budget B [--lambda X] [--seed N] [--steps S] [--lr R] [--decoder-lr R] [--density-lr R] [--decay F]
                   [--grouping paper|sq|dft|random] [--init-steps-per-rms X] [--keep-checkpoints] [--out results/<name>]
          sws      --model <id> --budget B [--tau X] [--pi0 P] [--retrain-steps S] [--pretrain-steps S] [--tau-warmup S] [--decay F]
                   [--tau-ramp F --tau-final-factor M] [--other-alpha A] [--other-beta B] [--components J] [--biases-in-prior true|false]
                   [--fine-tune-steps S] [--fine-tune-lr R] [--validation N] [--max-accuracy-loss X] [--seed N] [--out results/sws-<model>]
          sweep    --model <id> --budget B --lambdas 1,2,5 [--seed N] [--steps S] [--out results/<name>]
          verify   [results-dir]
          summary  [results-dir]
          inspect  <file.eprc> [more files]
          decompress <file.eprc> [more files] [--out weights.safetensors|weights.pt|weights.dat|<folder>] [--format safetensors|pt|torchsharp] [--model <id>]
        models: {{string.Join(", ", Architectures.Known)}}; methods: {{string.Join(", ", CompressionMethods.Known)}}
        common: --data <dir> (default $REPRO_DATA, else ./data)  --device auto|cpu|cuda  --threads T
        """);

    static Architecture Model(Options o) => Architectures.Create(o.Get("model") ?? throw new ArgumentException("--model is required"));

    static EprOptions EprOptionsFrom(Options o, double? lambda = null)
    {
        var s = EprOptions.For(o.Get("budget") ?? "quick", lambda ?? o.Double("lambda"), o.Long("seed") ?? 1);
        if (s.Lambda < 0 || !double.IsFinite(s.Lambda)) throw new ArgumentException($"--lambda must be a finite number >= 0, not {s.Lambda}");
        if (o.Long("steps") is long steps) s = s with { Steps = steps > 0 ? steps : throw new ArgumentException("--steps must be positive") };
        if (o.Long("threads") is long threads) s = s with { Threads = (int)threads };
        if (o.Get("grouping") is string grouping) s = s with { Grouping = grouping.ToLowerInvariant() switch
        {
            "paper" => GroupingRules.EprMnist(),
            "sq" => GroupingRules.EprMnistWithKernels(5, TransformKind.Identity),
            "dft" => GroupingRules.EprMnistWithKernels(5, TransformKind.Dft),
            "random" => GroupingRules.EprMnistWithKernels(5, TransformKind.RandomOrthogonal, (int)s.Seed),
            _ => throw new ArgumentException($"unknown grouping '{grouping}' (paper, sq, dft, random)"),
        } };
        if (o.Double("lr") is double lr) s = s with { LearningRates = s.LearningRates with { Latents = lr } };
        if (o.Double("decoder-lr") is double clr) s = s with { LearningRates = s.LearningRates with { Decoders = clr } };
        if (o.Double("density-lr") is double dlr) s = s with { LearningRates = s.LearningRates with { Densities = dlr } };
        if (o.Double("decay") is double decay) s = s with { DecayFraction = decay };
        if (o.Double("init-steps-per-rms") is double spr) s = s with { Initialization = s.Initialization with { StepsPerRms = spr } };
        return s;
    }

    static SwsSettings SwsSettingsFrom(Options o, Architecture architecture)
    {
        var s = SwsSettings.For(architecture, o.Get("budget") ?? "quick", o.Long("seed") ?? 1);
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
        if (o.Double("max-accuracy-loss") is double loss) s = s with { MaxAccuracyLoss = loss };
        return s;
    }

    /// <summary>compress: a registered method on a registered model and MNIST, through the experiment runner.</summary>
    static int Compress(Options o, string data, string method)
    {
        var architecture = Model(o);
        ICompressionMethod m = method.ToLowerInvariant() switch
        {
            "epr" => new EprMethod(EprOptionsFrom(o)),
            "sws" => new SoftWeightSharingMethod(SwsSettingsFrom(o, architecture)),
            "ec" => EcOptions.Method(o.Get, architecture),
            _ => throw new ArgumentException($"the command line can train epr and sws; '{method}' is not one of them"),
        };
        string output = o.Get("out") ?? Path.Combine("results", $"{m.Id}-{architecture.Id}");
        using var dataset = Mnist.Load(data, Devices.Choose(o.Get("device")));
        using var outcome = Experiment.Run(m, architecture, dataset, output, new ExperimentOptions
        {
            Device = Devices.Choose(o.Get("device")),
            KeepCheckpoints = o.Flag("keep-checkpoints"),
        });
        if (outcome.Result.Details is SwsDetails details)
            foreach (var c in details.CodingCandidates) Console.WriteLine($"  coding candidate {c.Layout,-6} groups, {c.Tables,-9} tables, masks {c.Masks,-5}: {c.Bytes} B");
        Console.WriteLine($"{output}: {outcome.Summary.CompressedBytes} B ({outcome.Summary.CompressionRatio:F1}x), decoded test error {100 * outcome.Summary.TestError:F2}%");
        return 0;
    }

    static int Sweep(Options o, string data)
    {
        var lambdas = (o.Get("lambdas") ?? throw new ArgumentException("--lambdas is required, e.g. 1,2,5"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var architecture = Model(o);
        foreach (var lambda in lambdas) EprOptionsFrom(o, lambda); // check every point before training any
        string root = o.Get("out") ?? Path.Combine("results", $"epr-{architecture.Id}-sweep");
        var device = Devices.Choose(o.Get("device"));
        using var dataset = Mnist.Load(data, device);
        var rows = new List<string> { "lambda,compressed_bytes,test_error,experiment" };
        foreach (var lambda in lambdas)
        {
            string dir = Path.Combine(root, $"lambda-{lambda.ToString(CultureInfo.InvariantCulture)}");
            using var outcome = Experiment.Run(new EprMethod(EprOptionsFrom(o, lambda)), architecture, dataset, dir, new ExperimentOptions { Device = device });
            rows.Add(string.Join(",", lambda.ToString("R", CultureInfo.InvariantCulture), outcome.Summary.CompressedBytes,
                outcome.Summary.TestError.ToString("R", CultureInfo.InvariantCulture), Path.GetFileName(dir)));
            Datasets.AtomicFile.WriteAllText(Path.Combine(root, "pareto.csv"), string.Join("\n", rows) + "\n");
        }
        Console.WriteLine(string.Join("\n", rows));
        return 0;
    }

    static int Verify(Options o, string data)
    {
        string root = o.Positional.FirstOrDefault() ?? "results";
        var runs = Verification.Find(root);
        if (runs.Count == 0) { Console.Error.WriteLine($"no summary.json under {root}"); return 1; }
        var loaded = new Dictionary<string, IDataset>(StringComparer.OrdinalIgnoreCase);
        IDataset Data(string name) => loaded.TryGetValue(name, out var d) ? d : loaded[name] = DatasetCatalog.Load(name, data);
        int failures = 0;
        try
        {
            foreach (var dir in runs)
            {
                var r = Verification.Verify(dir, Data);
                if (!r.Ok) failures++;
                Console.WriteLine($"{(r.Ok ? "ok  " : "FAIL")} {dir,-50} {r.Method,-4} {r.Model,-13} {r.Bytes,8} B  error {100 * r.Error,6:F2}%{(r.Ok ? "" : "  " + r.Problem)}");
            }
        }
        finally { foreach (var d in loaded.Values) d.Dispose(); }
        Console.WriteLine($"{runs.Count - failures}/{runs.Count} verified");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>inspect: every byte of each file, by part and group, with the self-information beside each bitstream. No data needed.</summary>
    static int Inspect(Options o)
    {
        if (o.Positional.Count == 0) throw new ArgumentException("inspect needs at least one compressed file");
        int failures = EachFile(o.Positional, path =>
        {
            var model = CompressedModelFile.Read(path);
            Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes, method {model.Method} ({CompressionMethods.DisplayName(model.Method)}), architecture {model.Architecture}, " +
                              $"{model.Groups.Count} coded groups, {model.SideTensors.Count} side tensors, {model.ParameterCount:N0} values");
            Console.WriteLine(SizeBreakdown.Of(model).ToText());
        });
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// decompress: each compressed file decoded (by the decoder its method names, into the registered architecture it
    /// names or --model) and written as a weights file: safetensors, torch.save (.pt) or TorchSharp (.dat). One file:
    /// --out is the weights file; several: --out is a folder (default: beside each file, as &lt;name&gt;.safetensors).
    /// </summary>
    static int Decompress(Options o)
    {
        if (o.Positional.Count == 0) throw new ArgumentException("decompress needs at least one compressed file");
        WeightsFormat? format = o.Get("format") is string f ? WeightsFormats.Parse(f) : null;
        var architecture = o.Get("model") is string id ? Architectures.Create(id) : null;
        string? output = o.Get("out");
        bool intoFolder = output is null || Directory.Exists(output) || output.EndsWith('/') || Path.GetExtension(output) == "";
        if (!intoFolder && o.Positional.Count > 1) throw new ArgumentException($"--out {output}: with several files, --out names a folder");
        if (!intoFolder && format is null && WeightsFormats.FromExtension(output!) is null)
            throw new ArgumentException($"--out {output}: end it in .safetensors, .pt or .dat, or say --format");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        int failures = EachFile(o.Positional, path =>
        {
            string target = intoFolder
                ? Path.Combine(output ?? Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + WeightsFormats.Extension(format ?? WeightsFormat.Safetensors))
                : output!;
            if (!outputs.TryAdd(Path.GetFullPath(target), path)) throw new IOException($"{target} is already the output of {outputs[Path.GetFullPath(target)]}: not overwritten");
            var done = WeightsFile.Decompress(path, target, architecture, intoFolder ? format ?? WeightsFormat.Safetensors : format);
            Console.WriteLine($"{path} -> {done.Output}: {CompressionMethods.DisplayName(done.Method)} {done.Architecture}, {done.Tensors} tensors, " +
                              $"{done.Values:N0} values, {done.Bytes:N0} bytes ({done.Format})");
        });
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Runs <paramref name="work"/> on each file; a file that fails is reported (path and reason) and the rest go on. Returns the failures.</summary>
    static int EachFile(IReadOnlyList<string> paths, Action<string> work)
    {
        int failures = 0;
        foreach (var path in paths)
        {
            try
            {
                if (Directory.Exists(path)) throw new IOException($"{path}: a folder, not a file");
                work(path);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures++;
                bool expected = e is IOException or ArgumentException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException or FormatException;
                string reason = expected ? e.Message : $"{e.GetType().Name}: {e.Message}";
                Console.Error.WriteLine(reason.StartsWith(path, StringComparison.Ordinal) ? reason : $"{path}: {reason}");
            }
        }
        if (failures > 0) Console.Error.WriteLine($"{failures} of {paths.Count} files failed");
        return failures;
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
            if (args[i] == "--keep-checkpoints") o.named["keep-checkpoints"] = "true";
            else if (args[i].StartsWith("--"))
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                o.named[args[i][2..]] = args[++i];
            }
            else o.Positional.Add(args[i]);
        }
        return o;
    }

    public string? Get(string name) => named.TryGetValue(name, out var v) ? v : null;
    public bool Flag(string name) => named.ContainsKey(name);
    public double? Double(string name) => Get(name) is string v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
    public long? Long(string name) => Get(name) is string v ? long.Parse(v, CultureInfo.InvariantCulture) : null;
}
