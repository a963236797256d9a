// `epr`: cost of one EPR training step relative to one plain training step of the same network (Adam,
// batch 128, the same MNIST batches), after a warm-up. The plain step owns the weights directly; the EPR
// step decodes them from latents, adds the rate term, updates two optimizers and the EMA. Timed both in
// thread CPU time (libtorch runs single-threaded on the calling thread, so this is robust on a shared,
// loaded machine) and in wall time. Writes results/benchmarks/epr.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Compression.Data;
using Compression.Models;
using Compression.Probability;
using Compression.Epr;
using Compression.Grouping;
using Compression.Training;
using Datasets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Benchmarks;

public sealed record StepTiming(string Model, string Variant, double CpuMs, double WallMs);

public static class EprStepBenchmark
{
    public static int Run(string[] args)
    {
        int steps = 200, threads = 1;
        string? device = null, output = "results/benchmarks/epr.md";
        var models = new List<string>();
        string data = DataDirectory.Default();
        for (int i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--model": models.Add(args[++i]); break;
                case "--device": device = args[++i]; break;
                case "--data": data = args[++i]; break;
                case "--out": output = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 1;
            }
        if (models.Count == 0) models = ["lenet300-100", "lenet5-caffe"];
        var report = new StringBuilder();
        report.AppendLine("# EPR step cost").AppendLine()
              .AppendLine($"{steps} timed steps after a warm-up, batch 128, libtorch threads {threads}, {Environment.ProcessorCount} cores visible, device {device ?? "auto"}.")
              .AppendLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, ONEDNN_MAX_CPU_ISA={MachineLoad.Isa()}, load average before: {MachineLoad.Average()}.")
              .AppendLine("CPU = this thread's CPU time per step (robust under load; the concurrent rate's second thread is not in it); wall = elapsed time per step.").AppendLine()
              .AppendLine("| model | step | CPU ms/step | wall ms/step | CPU ratio to plain | wall ratio to plain |")
              .AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var model in models)
        {
            var timings = Measure(model, data, steps, threads, device);
            double plain = timings[0].CpuMs, plainWall = timings[0].WallMs;
            foreach (var t in timings)
            {
                string line = $"| {t.Model} | {t.Variant} | {t.CpuMs:F2} | {t.WallMs:F2} | {t.CpuMs / plain:F2}x | {t.WallMs / plainWall:F2}x |";
                Console.WriteLine(line);
                report.AppendLine(line);
            }
        }
        report.AppendLine().AppendLine($"Load average after: {MachineLoad.Average()}.");
        if (output != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report.ToString());
            Console.WriteLine($"wrote {output}");
        }
        return 0;
    }

    /// <summary>Plain step, then EPR steps with the default (fused on CPU) and the tensor-op rate, and on the CPU the fused rate on a second thread.</summary>
    public static IReadOnlyList<StepTiming> Measure(string model, string dataDir, int steps, int threads, string? device = null)
    {
        var dev = Devices.Choose(device);
        Devices.Seed(1, threads);
        var architecture = Architectures.Create(model);
        using var all = Mnist.Load(dataDir, dev);
        var data = DatasetView.Limit(all, 10_000, null);
        var sampler = new BatchSampler(data.TrainCount, 128, 1);
        var results = new List<StepTiming>();

        results.Add(Time(architecture.DisplayName, "plain Adam", steps, dev, () =>
        {
            var weights = architecture.Initialize(dev).Select(t => { var p = new Parameter(t); p.DetachFromDisposeScope(); return p; }).ToList();
            var adam = optim.Adam(weights, lr: 1e-3);
            return step =>
            {
                using var scope = NewDisposeScope();
                var (x, y) = sampler.BatchAt(data, step, dev);
                var loss = F.cross_entropy(architecture.Forward(x, weights.Cast<Tensor>().ToList()), y);
                adam.zero_grad();
                loss.backward();
                adam.step();
                _ = loss.item<float>();
            };
        }));

        var variants = new List<(string, RateEvaluation, bool)> { ("EPR (rate: auto)", RateEvaluation.Auto, false), ("EPR (rate: tensor ops)", RateEvaluation.Interpolated, false) };
        if (dev.type == DeviceType.CPU) variants.Add(("EPR (rate: auto, on a second thread)", RateEvaluation.Auto, true));
        foreach (var (name, rate, concurrent) in variants)
            results.Add(Time(architecture.DisplayName, name, steps, dev, () =>
            {
                ReparameterizedNetwork network;
                using (var init = NewDisposeScope())
                    network = ReparameterizedNetwork.Create(GroupingRules.EprMnist().For(architecture), architecture.NewNetwork(dev), device: dev);
                var stepper = new EprStep(network, EprOptions.For("paper") with { Rate = rate, ConcurrentRate = concurrent }, 1.0 / 60000);
                return step =>
                {
                    using var scope = NewDisposeScope();
                    var (x, y) = sampler.BatchAt(data, step, dev);
                    stepper.Run(x, y);
                };
            }));
        return results;
    }

    static StepTiming Time(string model, string variant, int steps, Device device, Func<Action<long>> setup)
    {
        var step = setup();
        int warmup = Math.Max(5, steps / 10);
        for (int i = 0; i < warmup; i++) step(i);
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        var wall = Stopwatch.StartNew();
        double cpu = ThreadClock.Now();
        for (int i = 0; i < steps; i++) step(warmup + i);
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        double cpuMs = (ThreadClock.Now() - cpu) * 1000 / steps;
        return new StepTiming(model, variant, cpuMs, wall.Elapsed.TotalMilliseconds / steps);
    }
}
