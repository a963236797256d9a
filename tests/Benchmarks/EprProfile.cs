// `epr-profile [model]`: where the CPU time of one EPR step goes (decode and forward, rate, backward,
// optimizers, EMA), against the pieces measured on their own. Thread CPU time, one libtorch thread.
using Compression.Data;
using Compression.Models;
using Compression.Probability;
using Compression.Epr;
using Compression.Grouping;
using Compression.Training;
using Datasets;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Benchmarks;

public static class EprProfile
{
    public static int Run(string[] args)
    {
        int steps = 100;
        Devices.Seed(1, 1);
        var a = Architectures.Create(args.Length > 0 ? args[0] : "lenet300-100");
        using var all = Mnist.Load(DataDirectory.Default());
        var data = DatasetView.Limit(all, 10_000, null);
        var sampler = new BatchSampler(data.TrainCount, 128, 1);
        ReparameterizedNetwork net;
        using (var s = NewDisposeScope()) net = ReparameterizedNetwork.Create(GroupingRules.EprMnist().For(a), a.NewNetwork());
        var st = new EprStep(net, EprOptions.For("paper"), 1.0 / 60000);
        void T(string name, Action<long> f)
        {
            for (int i = 0; i < 10; i++) f(i);
            double c = ThreadClock.Now();
            for (int i = 0; i < steps; i++) f(i);
            Console.WriteLine($"{name,-34} {(ThreadClock.Now() - c) * 1000 / steps,8:F3} ms");
        }
        var big = net.Groups[0].Latents[0];
        T("full step", i => { using var s = NewDisposeScope(); var (x, y) = sampler.BatchAt(data, i, CPU); st.Run(x, y); });
        var acc = new double[8];
        for (int i = 0; i < 110; i++)
        {
            using var s = NewDisposeScope();
            double t0 = ThreadClock.Now();
            var (x, y) = sampler.BatchAt(data, i, CPU);
            var p = net.DecodeParameters(true);
            var ce = F.cross_entropy(a.Forward(x, p), y);
            double t1 = ThreadClock.Now();
            var bits = net.RateBits(RateEvaluation.Fused);
            var loss = ce + bits * (1.0 / 60000);
            double t2 = ThreadClock.Now();
            foreach (var o in st.Optimizers) o.zero_grad();
            double t3 = ThreadClock.Now();
            loss.backward();
            double t4 = ThreadClock.Now();
            foreach (var o in st.Optimizers) o.step();
            double t5 = ThreadClock.Now();
            st.Ema!.Update();
            _ = ce.item<float>(); _ = bits.item<float>();
            double t6 = ThreadClock.Now();
            if (i >= 10) { acc[0] += t1 - t0; acc[1] += t2 - t1; acc[2] += t3 - t2; acc[3] += t4 - t3; acc[4] += t5 - t4; acc[5] += t6 - t5; }
        }
        string[] names = ["decode+forward", "rate forward", "zero_grad", "backward", "adam steps", "ema+item"];
        for (int k = 0; k < names.Length; k++) Console.WriteLine($"  in step: {names[k],-22} {acc[k] * 1000 / 100,8:F3} ms");
        T("batch", i => { using var s = NewDisposeScope(); var (x, y) = sampler.BatchAt(data, i, CPU); });
        T("fwd+bwd on plain weights", i => { using var s = NewDisposeScope(); var (x, y) = sampler.BatchAt(data, i, CPU); var p = net.DecodeParameters(true).Select(t => t.detach().requires_grad_()).ToList(); var l = F.cross_entropy(a.Forward(x, p), y); l.backward(); });
        T("decode only (no grad)", i => { using var s = NewDisposeScope(); using var n = no_grad(); var p = net.DecodeParameters(true); });
        T("decode+fwd+bwd", i => { using var s = NewDisposeScope(); var (x, y) = sampler.BatchAt(data, i, CPU); var p = net.DecodeParameters(true); var l = F.cross_entropy(a.Forward(x, p), y); l.backward(); });
        T("rate fwd (no grad)", i => { using var s = NewDisposeScope(); using var n = no_grad(); var b = net.RateBits(RateEvaluation.Fused); });
        T("rate fwd+bwd", i => { using var s = NewDisposeScope(); var b = net.RateBits(RateEvaluation.Fused); b.backward(); });
        for (int g = 0; g < net.Groups.Count; g++)
        {
            var group = net.Groups[g];
            T($"rate fwd+bwd, group {group.Name}", i => { using var s = NewDisposeScope(); var b = group.RateBits(RateEvaluation.Fused); b.backward(); });
        }
        // The fused rate evaluates each group's density on a grid spanning its latents (1/32 apart): a group whose
        // latents spread (a decoder step that shrinks) costs more per step, whatever its size.
        foreach (double spread in new[] { 10.0, 100.0 })
        {
            var group = net.Groups.FirstOrDefault(g => g.Name == "classifier") ?? net.Groups[^1];
            using (no_grad()) foreach (var l in group.Latents) l.mul_(spread);
            T($"rate fwd+bwd, group {group.Name}, latents x{spread}", i => { using var s = NewDisposeScope(); var b = group.RateBits(RateEvaluation.Fused); b.backward(); });
            using (no_grad()) foreach (var l in group.Latents) l.div_(spread);
        }
        for (int k = 0; k < st.Optimizers.Count; k++)
        {
            var o = st.Optimizers[k];
            T($"adam step, optimizer {k}", i => o.step());
        }
        T("zero_grad+adam steps", i => { foreach (var o in st.Optimizers) { o.zero_grad(); } foreach (var o in st.Optimizers) o.step(); });
        T("ema", i => st.Ema!.Update());
        T("mul N", i => { using var s = NewDisposeScope(); var q = big * 2.0; });
        T("round N", i => { using var s = NewDisposeScope(); var q = big.round(); });
        T("lerp_ N", i => { using var s = NewDisposeScope(); var q = big.detach().clone(); q.lerp_(big.detach(), 0.01); });
        return 0;
    }
}
