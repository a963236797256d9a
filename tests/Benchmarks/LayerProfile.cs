// `layers [threads] [--out FILE]`: where the time of one LeNet5-Caffe training step goes, layer by layer (forward,
// and forward + backward of that layer alone), in wall time per call with libtorch on the given threads, batch 128,
// under the process's ONEDNN_MAX_CPU_ISA; also the alternatives tried for the convolutions and the pooling
// (unfold + matmul, strided maxima, argmax + gather), and the errors of each against float64. Appends a section to
// FILE (results/benchmarks/layers.md by default) with the load average, so runs under several instruction sets and
// thread counts sit side by side.
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Benchmarks;

public static class LayerProfile
{
    static readonly System.Text.StringBuilder report = new();

    static void Line(string text)
    {
        Console.WriteLine(text);
        report.AppendLine(text);
    }

    public static int Run(string[] args)
    {
        int threads = args.Length > 0 && !args[0].StartsWith("--") ? int.Parse(args[0]) : 1;
        string output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "results/benchmarks/layers.md";
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        string isa = MachineLoad.Isa();
        string load = MachineLoad.Average();
        report.AppendLine($"## ONEDNN_MAX_CPU_ISA={isa}, {threads} libtorch thread(s), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average before: {load}").AppendLine().AppendLine("```");
        Console.WriteLine($"threads {threads}, ONEDNN_MAX_CPU_ISA={isa}, load {load}");
        var x0 = randn(128, 1, 28, 28);
        var w1 = (randn(20, 1, 5, 5) * 0.2).requires_grad_(); var b1 = zeros(20).requires_grad_();
        var x1 = randn(128, 20, 12, 12);
        var w2 = (randn(50, 20, 5, 5) * 0.05).requires_grad_(); var b2 = zeros(50).requires_grad_();
        var x2 = randn(128, 800);
        var w3 = (randn(500, 800) * 0.03).requires_grad_(); var b3 = zeros(500).requires_grad_();
        var a1 = randn(128, 20, 24, 24); var a2 = randn(128, 50, 8, 8);

        T("conv1 fwd", () => F.conv2d(x0, w1, b1));
        T("conv1 fwd+bwd (weights)", () => F.conv2d(x0, w1, b1).sum().backward());
        T("relu+pool1 fwd+bwd", () => { var a = a1.detach().requires_grad_(); F.max_pool2d(F.relu(a), 2).sum().backward(); });
        T("pool1 fwd", () => F.max_pool2d(a1, 2));
        T("conv2 fwd", () => F.conv2d(x1, w2, b2));
        T("conv2 fwd+bwd (input+weights)", () => { var a = x1.detach().requires_grad_(); F.conv2d(a, w2, b2).sum().backward(); });
        T("conv2 as unfold+matmul fwd+bwd", () =>
        {
            var a = x1.detach().requires_grad_();
            var cols = F.unfold(a, 5);                                  // [128, 500, 64]
            var y = matmul(w2.reshape(50, 500), cols) + b2.reshape(1, 50, 1); // [128, 50, 64]
            y.reshape(128, 50, 8, 8).sum().backward();
        });
        T("relu+pool2 fwd+bwd", () => { var a = a2.detach().requires_grad_(); F.max_pool2d(F.relu(a), 2).sum().backward(); });
        T("fc1 fwd+bwd", () => { var a = x2.detach().requires_grad_(); F.relu(F.linear(a, w3, b3)).sum().backward(); });
        var m1 = randn(8192, 500); var m2 = randn(500, 50);
        T("matmul 8192x500 @ 500x50", () => matmul(m1, m2));
        T("conv1 as unfold+matmul fwd+bwd", () =>
        {
            var cols = F.unfold(x0, 5);                                  // [128, 25, 576]
            var y = matmul(w1.reshape(20, 25), cols) + b1.reshape(1, 20, 1);
            y.reshape(128, 20, 24, 24).sum().backward();
        });
        T("pool1 as reshape+amax fwd+bwd", () => { var a = a1.detach().requires_grad_(); a.reshape(128, 20, 12, 2, 12, 2).amax([3, 5]).relu().sum().backward(); });
        T("pool1 as strided maximum fwd+bwd", () =>
        {
            var a = a1.detach().requires_grad_();
            var r = maximum(a.slice(2, 0, 24, 2), a.slice(2, 1, 24, 2));
            maximum(r.slice(3, 0, 24, 2), r.slice(3, 1, 24, 2)).relu().sum().backward();
        });
        T("pool1 as strided maximum fwd", () =>
        {
            var r = maximum(a1.slice(2, 0, 24, 2), a1.slice(2, 1, 24, 2));
            maximum(r.slice(3, 0, 24, 2), r.slice(3, 1, 24, 2));
        });
        T("pool1 as argmax+gather fwd+bwd", () =>
        {
            var a = a1.detach().requires_grad_();
            var w = a.reshape(128, 20, 12, 2, 12, 2).permute(0, 1, 2, 4, 3, 5).reshape(128, 20, 12, 12, 4);
            var idx = w.detach().argmax(-1, keepdim: true);
            w.gather(-1, idx).squeeze(-1).relu().sum().backward();
        });
        T("pool1 as MaxPool2x2 fwd", () => Compression.Models.Layers.MaxPool2x2(a1));
        T("MaxPool2x2 pool1, relu fwd+bwd", () => { var a = a1.detach().requires_grad_(); F.relu(Compression.Models.Layers.MaxPool2x2(a)).sum().backward(); });
        T("MaxPool2x2 pool2, relu fwd+bwd", () => { var a = a2.detach().requires_grad_(); F.relu(Compression.Models.Layers.MaxPool2x2(a)).sum().backward(); });
        T("pool1 then relu fwd+bwd", () => { var a = a1.detach().requires_grad_(); F.relu(F.max_pool2d(a, 2)).sum().backward(); });
        T("conv2 as one gemm fwd+bwd", () =>
        {
            var a = x1.detach().requires_grad_();
            var cols = F.unfold(a, 5).transpose(1, 2).reshape(8192, 500);
            var y = F.linear(cols, w2.reshape(50, 500), b2);            // [8192, 50]
            y.reshape(128, 8, 8, 50).permute(0, 3, 1, 2).sum().backward();
        });

        // Accuracy of the candidates against float64.
        var ref2 = F.conv2d(x1.to(float64), w2.detach().to(float64), b2.detach().to(float64));
        double Err(Tensor y) => ((y.to(float64) - ref2).norm() / ref2.norm()).item<double>();
        var mref = matmul(m1.to(float64), m2.to(float64));
        Line($"matmul relative error {((matmul(m1, m2).to(float64) - mref).norm() / mref.norm()).item<double>():E2}");
        Line($"conv2 relative error: native {Err(F.conv2d(x1, w2.detach(), b2.detach())):E2}, " +
            $"unfold+matmul {Err((matmul(w2.detach().reshape(50, 500), F.unfold(x1, 5)) + b2.detach().reshape(1, 50, 1)).reshape(128, 50, 8, 8)):E2}");
        {
            var a = x1.detach().requires_grad_(); var w = w2.detach().requires_grad_();
            (F.conv2d(a, w, b2.detach()) * ref2.to(float32)).sum().backward();
            var a64 = x1.detach().to(float64).requires_grad_(); var w64 = w2.detach().to(float64).requires_grad_();
            (F.conv2d(a64, w64, b2.detach().to(float64)) * ref2).sum().backward();
            double E(Tensor g, Tensor g64) => ((g.to(float64) - g64).norm() / g64.norm()).item<double>();
            Line($"conv2 gradient relative error: input {E(a.grad!, a64.grad!):E2}, weights {E(w.grad!, w64.grad!):E2}");
        }
        Line($"ConvolutionCheck.RelativeError: {Compression.Training.ConvolutionCheck.RelativeError():E2}");
        report.AppendLine("```").AppendLine();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        if (!File.Exists(output))
            File.WriteAllText(output, "# LeNet5-Caffe's layers, one at a time (`dotnet run -c Release --project tests/Benchmarks -- layers [threads]`)\n\n" +
                "Batch 128, wall and thread CPU time per call (forward, or forward + backward of that layer alone). One section per run.\n\n");
        File.AppendAllText(output, report.ToString());
        Console.WriteLine($"appended to {output}");
        return 0;
    }

    static void T(string name, Action f)
    {
        for (int i = 0; i < 5; i++) { using var s = NewDisposeScope(); f(); }
        int n = 40;
        var sw = Stopwatch.StartNew();
        double c = ThreadClock.Now();
        for (int i = 0; i < n; i++) { using var s = NewDisposeScope(); f(); }
        Line($"{name,-36} wall {sw.Elapsed.TotalMilliseconds / n,8:F2} ms   thread CPU {(ThreadClock.Now() - c) * 1000 / n,8:F2} ms");
    }
}
