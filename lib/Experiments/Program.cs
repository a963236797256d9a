// Experiments: compress networks with any registered method, sweeps, verification of committed results, the
// byte table of any file.
//   compress --method epr|sws|miracle|ec --model <id> --budget smoke|quick|paper [method options] [--out results/<name>]
//   epr      --model <id> ...        (compress --method epr)       sws --model <id> ...   (compress --method sws)
//   sweep    --model M --budget B --lambdas 1,2,5 [--seed N] [--steps S] [--out results/<name>-sweep]   (EPR; writes pareto.csv)
//   verify   [results]                 (non-zero exit when anything disagrees)
//   summary  [dir]                     (every summary.json below dir, beside the papers)
//   inspect  <file> ...                (the byte table of compressed files; no data needed)
//   decompress <file> ... [--out weights.safetensors|.pt|.dat|<folder>] [--format F] [--model <id>]  (decoded networks as weight files)
// (The EPR step benchmark is `dotnet run -c Release --project tests/Benchmarks -- epr`.)
// Common: --data <dir> (default $REPRO_DATA or ./data), --device auto|cpu|cuda, --threads T.
// Command lines are strict (lib/CommandLine): an unknown option, a missing value, a malformed or out-of-range number is
// exit 2 with one line on stderr, before anything is created. A method's options are read where its method is made
// (options read there are known to the parser); Compress checks for unknown ones right after.
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
        if (args.Length == 0) { Usage(); return UsageException.ExitCode; }
        if (args[0] is "-h" or "--help" or "help") { Usage(); return 0; }
        try
        {
            var options = Options.Parse(args.Skip(1).ToArray(), "keep-checkpoints", "concurrent-rate");
            return args[0] switch
            {
                "compress" => Compress(options, options.Required("method", $"one of {string.Join(", ", Trainable)}")),
                "epr" => Compress(options, "epr"),
                "sws" => Compress(options, "sws"),
                "sweep" => Sweep(options),
                "verify" => Verify(options),
                "summary" => Summary(options),
                "inspect" => Inspect(options),
                "decompress" => Decompress(options),
                "check-convolution" => CheckConvolution(options),
                _ => throw new UsageException($"unknown command '{args[0]}'{Values.Suggestion(args[0], Commands)} " +
                                              $"(commands: {string.Join(", ", Commands)}; `Experiments --help` for usage)"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageException.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or FormatException or InvalidOperationException
                                       or OverflowException or CorruptModelFileException or KeyNotFoundException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message.Split('\n')[0]}");
            return 2;
        }
    }

    static readonly string[] Commands = ["compress", "epr", "sws", "sweep", "verify", "summary", "inspect", "decompress", "check-convolution"];

    /// <summary>The methods the command line trains (a switch arm each in Compress).</summary>
    static IReadOnlyList<string> Trainable => ["epr", "sws", "miracle", "ec"];

    /// <summary>Options every command accepts (the Makefile and scripts pass them to any command).</summary>
    static void Common(Options o) => o.Allow("data", "device", "threads");

    /// <summary>--data, checked: the folder must exist (nothing is created for a run whose data is missing).</summary>
    static string DataFolder(Options o)
    {
        string data = o.Get("data") is string d ? Path.GetFullPath(d) : Datasets.DataDirectory.Default();
        if (!Directory.Exists(data))
            throw new UsageException($"data folder {data} does not exist: fetch MNIST into it with `make data DATA={data}`, or point --data at the folder that holds mnist/");
        return data;
    }

    /// <summary>--device, checked; CUDA asked for on a machine without it is a clear error.</summary>
    static TorchSharp.torch.Device Device(Options o)
    {
        string? device = o.Choice("device", "auto", "cpu", "cuda");
        try { return Devices.Choose(device); }
        catch (InvalidOperationException e) { throw new UsageException(e.Message); }
    }

    /// <summary>summary [dir]: the table of every finished run below dir, beside the papers' numbers.</summary>
    static int Summary(Options o)
    {
        Common(o);
        o.AtMostPositional(1, "summary", "results folder");
        o.RejectUnknown("summary");
        string root = o.Positional.FirstOrDefault() ?? "results";
        Console.WriteLine(ResultsTable.ToText(ResultsTable.Collect(root)));
        return 0;
    }

    /// <summary>
    /// check-convolution: exit 0 when float32 convolutions (output and gradients) agree with float64 in this process,
    /// 1 when not. environment/onednn-isa.sh runs it under several ONEDNN_MAX_CPU_ISA values to pick the fastest right one.
    /// </summary>
    static int CheckConvolution(Options o)
    {
        Common(o);
        o.AtMostPositional(0, "check-convolution", "positional arguments");
        o.RejectUnknown("check-convolution");
        var device = Device(o);
        if (o.Int("threads", min: 1, max: 4096) is int threads) TorchSharp.torch.set_num_threads(threads);
        double error = ConvolutionCheck.RelativeError(device);
        string isa = Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is { Length: > 0 } v ? v : "(unset: all)";
        bool right = error <= ConvolutionCheck.Tolerance;
        Console.WriteLine($"{(right ? "ok  " : "WRONG")} float32 conv2d against float64: {error:E2} of the output scale (tolerance {ConvolutionCheck.Tolerance:E0}), ONEDNN_MAX_CPU_ISA={isa}, device {device.type}");
        return right ? 0 : 1;
    }

    static void Usage() => Console.Error.WriteLine($$"""
        usage: Experiments <command> [options]
          compress --method epr|sws|miracle|ec --model <id> --budget smoke|quick|paper [options below] [--out results/<name>]
          epr      --model <id> --budget B [--lambda X] [--seed N] [--steps S] [--lr R] [--decoder-lr R] [--density-lr R] [--decay F]
                   [--grouping paper|sq|dft|random] [--init-steps-per-rms X] [--validation N] [--keep-checkpoints] [--concurrent-rate] [--out results/<name>]
          sws      --model <id> --budget B [--tau X] [--pi0 P] [--retrain-steps S] [--pretrain-steps S] [--tau-warmup S] [--decay F]
                   [--tau-ramp F --tau-final-factor M] [--other-alpha A] [--other-beta B] [--components J] [--biases-in-prior true|false]
                   [--fine-tune-steps S] [--fine-tune-lr R] [--validation N] [--max-accuracy-loss X] [--seed N] [--out results/sws-<model>]
          compress --method miracle --model <id> --budget B [--bits C] [--block-size D] [--variational-steps I0] [--retrain-steps I]
                   [--batch B] [--lr R] [--eps E] [--coding-eps E] [--initial-log-sigma S] [--selection sample|argmax]
                   [--shrink name=factor,...] [--threads T] [--seed N] [--out results/miracle-<model>]
          compress --method ec --model <id> --budget B [--lambda X] [--steps S] [--pretrain-steps S] [--batch B] [--centres K]
                   [--t0 X] [--t1 X] [--lr R] [--centre-lr R] [--decay F] [--lambda-warmup S] [--code-biases true|false]
                   [--zero-fraction Z] [--threads T] [--seed N] [--out results/ec-<model>]
          sweep    --model <id> --budget B --lambdas 1,2,5 [epr options] [--out results/<name>]   (pareto.csv; with --validation N
                   also each point's validation error, to choose lambda by)
          verify   [results-dir]
          check-convolution                 (exit 0 when float32 convolutions agree with float64 here; see environment/onednn-isa.sh)
          summary  [results-dir]
          inspect  <file.eprc> [more files]
          decompress <file.eprc> [more files] [--out weights.safetensors|weights.pt|weights.dat|<folder>] [--format safetensors|pt|torchsharp] [--model <id>]
        models: {{string.Join(", ", Architectures.Known)}}; methods: {{string.Join(", ", CompressionMethods.Known)}}
        common: --data <dir> (default $REPRO_DATA, else ./data)  --device auto|cpu|cuda  --threads T
        """);

    static Architecture Model(Options o)
    {
        string id = o.Required("model", $"one of {string.Join(", ", Architectures.Known)}");
        return Architectures.TryCreate(id, out var a) ? a!
            : throw new UsageException($"--model {id}: no such model{Values.Suggestion(id, Architectures.Known)}; use one of {string.Join(", ", Architectures.Known)}");
    }

    static string Budget(Options o) => o.Choice("budget", "smoke", "quick", "paper") ?? "quick";

    static EprOptions EprOptionsFrom(Options o, double? lambda = null)
    {
        double? given = o.Double("lambda", min: 0);
        var s = EprOptions.For(Budget(o), lambda ?? given, o.Long("seed", min: 0) ?? 1);
        if (o.Long("steps", min: 1) is long steps) s = s with { Steps = steps };
        if (o.Int("threads", min: 1, max: 4096) is int threads) s = s with { Threads = threads };
        if (o.Flag("concurrent-rate")) s = s with { ConcurrentRate = true };
        if (o.Choice("grouping", "paper", "sq", "dft", "random") is string grouping) s = s with { Grouping = grouping switch
        {
            "paper" => GroupingRules.EprMnist(),
            "sq" => GroupingRules.EprMnistWithKernels(5, TransformKind.Identity),
            "dft" => GroupingRules.EprMnistWithKernels(5, TransformKind.Dft),
            _ => GroupingRules.EprMnistWithKernels(5, TransformKind.RandomOrthogonal, (int)s.Seed),
        } };
        if (o.Double("lr", min: 0, minExclusive: true) is double lr) s = s with { LearningRates = s.LearningRates with { Latents = lr } };
        if (o.Double("decoder-lr", min: 0, minExclusive: true) is double clr) s = s with { LearningRates = s.LearningRates with { Decoders = clr } };
        if (o.Double("density-lr", min: 0, minExclusive: true) is double dlr) s = s with { LearningRates = s.LearningRates with { Densities = dlr } };
        if (o.Double("decay", min: 0, max: 1) is double decay) s = s with { DecayFraction = decay };
        if (o.Double("init-steps-per-rms", min: 0, minExclusive: true) is double spr) s = s with { Initialization = s.Initialization with { StepsPerRms = spr } };
        if (ValidationOption(o, s.TrainLimit, s.Budget) is int val) s = s with { ValidationCount = val };
        return s;
    }

    /// <summary>The command line trains on MNIST's training set (see Compress).</summary>
    const int MnistTrainingExamples = 60_000;

    /// <summary>--validation N (every method that takes it): refused before any data is read when it would hold out every example the budget trains on.</summary>
    static int? ValidationOption(Options o, int? trainLimit, string budget)
    {
        if (o.Int("validation", min: 0, max: MnistTrainingExamples - 1) is not int val) return null;
        int available = Math.Min(trainLimit ?? MnistTrainingExamples, MnistTrainingExamples);
        if (val >= available) throw new UsageException($"--validation {val} holds out every training example of budget {budget} ({available:N0}); give fewer");
        return val;
    }

    static SwsSettings SwsSettingsFrom(Options o, Architecture architecture)
    {
        var s = SwsSettings.For(architecture, Budget(o), o.Long("seed", min: 0) ?? 1);
        if (o.Int("threads", min: 1, max: 4096) is int threads) s = s with { Threads = threads };
        if (o.Double("tau", min: 0) is double tau) s = s with { Retrain = s.Retrain with { Tau = tau } };
        if (o.Double("decay", min: 0, max: 1) is double decay) s = s with { Retrain = s.Retrain with { DecayFraction = decay } };
        if (o.Double("tau-ramp", min: 0, max: 1) is double ramp) s = s with { Retrain = s.Retrain with { TauRampFraction = ramp } };
        if (o.Double("tau-final-factor", min: 0, minExclusive: true) is double factor) s = s with { Retrain = s.Retrain with { TauFinalFactor = factor } };
        if (o.Long("tau-warmup", min: 0) is long warmup) s = s with { Retrain = s.Retrain with { TauWarmupSteps = warmup } };
        if (o.Long("retrain-steps", min: 1) is long retrain) s = s with { Retrain = s.Retrain with { Steps = retrain } };
        if (o.Long("pretrain-steps", min: 0) is long pretrain) s = s with { Pretrain = s.Pretrain with { Steps = pretrain } };
        if (o.Double("pi0", min: 0, max: 1, minExclusive: true, maxExclusive: true) is double pi0) s = s with { Prior = s.Prior with { ZeroProportion = pi0 } };
        if (o.Double("other-alpha", min: 0, minExclusive: true) is double oa) s = s with { Prior = s.Prior with { OtherAlpha = oa } };
        if (o.Double("other-beta", min: 0, minExclusive: true) is double ob) s = s with { Prior = s.Prior with { OtherBeta = ob } };
        if (o.Int("components", min: 2, max: ushort.MaxValue) is int j) s = s with { Prior = s.Prior with { Components = j } };
        if (o.Bool("biases-in-prior") is bool b) s = s with { Prior = s.Prior with { BiasesInPrior = b } };
        if (o.Long("fine-tune-steps", min: 0) is long ft) s = s with { FineTuning = s.FineTuning with { Steps = ft } };
        if (o.Double("fine-tune-lr", min: 0, minExclusive: true) is double ftlr) s = s with { FineTuning = s.FineTuning with { LearningRate = ftlr } };
        if (ValidationOption(o, s.TrainLimit, s.Budget) is int val) s = s with { ValidationCount = val };
        if (o.Double("max-accuracy-loss", min: 0, max: 1) is double loss) s = s with { MaxAccuracyLoss = loss };
        return s;
    }

    /// <summary>compress: a registered method on a registered model and MNIST, through the experiment runner.</summary>
    static int Compress(Options o, string method)
    {
        var architecture = Model(o);
        ICompressionMethod m = method.ToLowerInvariant() switch
        {
            "epr" => new EprMethod(EprOptionsFrom(o)),
            "sws" => new SoftWeightSharingMethod(SwsSettingsFrom(o, architecture)),
            "miracle" => new Compression.Miracle.MiracleMethod(MiracleCommandLine.From(o, architecture)),
            "ec" => EcOptions.Method(o, architecture),
            _ => throw new UsageException($"--method {method}: the command line trains {string.Join(", ", Trainable)}{Values.Suggestion(method, Trainable)}"),
        };
        string output = o.Get("out") ?? Path.Combine("results", $"{m.Id}-{architecture.Id}");
        bool keep = o.Flag("keep-checkpoints");
        var device = Device(o);
        Common(o);
        o.AtMostPositional(0, CompressCommand(method), "positional arguments");
        o.RejectUnknown(CompressCommand(method));
        string data = DataFolder(o);
        // the data is read before the output folder is created: a run that cannot start leaves nothing behind
        using var dataset = Mnist.Load(data, device);
        using var outcome = Experiment.Run(m, architecture, dataset, output, new ExperimentOptions
        {
            Device = device,
            KeepCheckpoints = keep,
        });
        if (outcome.Result.Details is SwsDetails details)
            foreach (var c in details.CodingCandidates) Console.WriteLine($"  coding candidate {c.Layout,-6} groups, {c.Tables,-9} tables, masks {c.Masks,-5}: {c.Bytes} B");
        Console.WriteLine($"{output}: {outcome.Summary.CompressedBytes} B ({outcome.Summary.CompressionRatio:F1}x), decoded test error {100 * outcome.Summary.TestError:F2}%");
        return 0;
    }

    static string CompressCommand(string method) => $"compress --method {method}";

    static int Sweep(Options o)
    {
        var lambdas = o.Doubles("lambdas", min: 0) ?? throw new UsageException("--lambdas is required, e.g. --lambdas 1,2,5");
        var architecture = Model(o);
        foreach (var lambda in lambdas) EprOptionsFrom(o, lambda); // check every point before training any
        string root = o.Get("out") ?? Path.Combine("results", $"epr-{architecture.Id}-sweep");
        var device = Device(o);
        Common(o);
        if (o.Get("lambda") is not null) throw new UsageException("sweep takes --lambdas (e.g. --lambdas 1,2,5), not --lambda");
        o.AtMostPositional(0, "sweep", "positional arguments");
        o.RejectUnknown("sweep");
        string data = DataFolder(o);
        using var dataset = Mnist.Load(data, device);
        var rows = new List<string> { "lambda,compressed_bytes,test_error,validation_error,experiment" };
        foreach (var lambda in lambdas)
        {
            string dir = Path.Combine(root, $"lambda-{lambda.ToString(CultureInfo.InvariantCulture)}");
            using var outcome = Experiment.Run(new EprMethod(EprOptionsFrom(o, lambda)), architecture, dataset, dir, new ExperimentOptions { Device = device });
            string validation = outcome.Summary.Extra.TryGetValue("validation_error", out var ve) ? ve.ToString("R", CultureInfo.InvariantCulture) : "";
            rows.Add(string.Join(",", lambda.ToString("R", CultureInfo.InvariantCulture), outcome.Summary.CompressedBytes,
                outcome.Summary.TestError.ToString("R", CultureInfo.InvariantCulture), validation, Path.GetFileName(dir)));
            Datasets.AtomicFile.WriteAllText(Path.Combine(root, "pareto.csv"), string.Join("\n", rows) + "\n");
        }
        Console.WriteLine(string.Join("\n", rows));
        return 0;
    }

    static int Verify(Options o)
    {
        Common(o);
        o.AtMostPositional(1, "verify", "results folder");
        o.RejectUnknown("verify");
        string root = o.Positional.FirstOrDefault() ?? "results";
        if (!Directory.Exists(root)) throw new UsageException($"verify: {root} is not a folder (verify [results-folder])");
        var runs = Verification.Find(root);
        if (runs.Count == 0) { Console.Error.WriteLine($"no summary.json under {root}"); return 1; }
        string data = DataFolder(o);
        var loaded = new Dictionary<string, IDataset>(StringComparer.OrdinalIgnoreCase);
        IDataset Data(string name) => loaded.TryGetValue(name, out var d) ? d : loaded[name] = DatasetCatalog.Load(name, data);
        int failures = 0;
        try
        {
            foreach (var dir in runs)
            {
                // each run is reported and the rest go on, whatever goes wrong with one
                VerifiedRun r;
                try { r = Verification.Verify(dir, Data); }
                catch (Exception e)
                {
                    failures++;
                    Console.WriteLine($"FAIL {dir,-50} {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                    continue;
                }
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
        Common(o);
        o.RejectUnknown("inspect");
        if (o.Positional.Count == 0) throw new UsageException("inspect needs at least one compressed file");
        int failures = EachFile(o.Positional, path =>
        {
            var model = CompressedModelFile.Read(path);
            // a file claiming a registered network gets at most that network's decoding work (others: SizeBreakdown's bound)
            long maxSymbols = Architectures.TryCreate(model.Architecture, out var a) ? a!.ParameterCount : SizeBreakdown.DefaultMaxSymbols;
            var sizes = SizeBreakdown.Of(model, maxSymbols: maxSymbols);
            Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes, method {model.Method} ({CompressionMethods.DisplayName(model.Method)}), architecture {model.Architecture}, " +
                              $"{model.Groups.Count} coded groups, {model.SideTensors.Count} side tensors, {model.ParameterCount:N0} values");
            Console.WriteLine(sizes.ToText());
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
        WeightsFormat? format = o.Choice("format", "safetensors", "pt", "torchsharp", "pth", "pytorch", "torch", "dat") is string f ? WeightsFormats.Parse(f) : null;
        var architecture = o.Get("model") is not null ? Model(o) : null;
        string? output = o.Get("out");
        Common(o);
        o.RejectUnknown("decompress");
        if (o.Positional.Count == 0) throw new UsageException("decompress needs at least one compressed file");
        bool intoFolder = output is null || Directory.Exists(output) || output.EndsWith('/') || Path.GetExtension(output) == "";
        if (!intoFolder && o.Positional.Count > 1) throw new UsageException($"--out {output}: with several files, --out names a folder");
        if (!intoFolder && format is null && WeightsFormats.FromExtension(output!) is null)
            throw new UsageException($"--out {output}: end it in .safetensors, .pt or .dat, or say --format");
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
            catch (Exception e)
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
