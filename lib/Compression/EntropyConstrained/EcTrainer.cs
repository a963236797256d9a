// Entropy-constrained training (our design after the abstract of Wiedemann et al. 2018, seed 001; the relaxation follows
// Agustsson et al. 2017, see RelaxedEntropy):
//
//     loss = CE(network with hard-quantised weights) + lambda * sum_g n_g * H(P_g^T) / N
//
// with P_g^T the relaxed assignment distribution of group g at temperature T_g = t * s_g^2, t falling geometrically
// from InitialTemperature to FinalTemperature. The forward pass always uses the hard network the file will hold
// (every value at its nearest centre), so training also recovers the accuracy that quantisation costs:
//     w_q = w - stopgrad(w) + c[nearest(w)]
// passes the cross-entropy's gradient to the shadow weight w unchanged (straight-through, as EPR's rounding) and to each
// centre as the sum over the values assigned to it (Han et al. 2016's trained quantisation). The size term reaches the
// weights and the centres only through the soft assignments: it pulls each weight towards the centres with short codes
// (-log2 P_k), zero above all, by an amount that falls as the assignments harden. The zero centre stays at 0.
// Adam for the weights and for the centres; both learning rates fall linearly to 0 over the last DecayFraction of the steps.
// Resumable: every CheckpointEvery steps the shadow weights, the centres, both optimizers' states and the history so far
// go to a checkpoint keyed by the settings and the starting network; a resumed run ends where an uninterrupted one does.
using System.Diagnostics;
using Compression.Data;
using Compression.Models;
using Compression.SoftWeightSharing;
using Compression.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.EntropyConstrained;

/// <param name="Quantized">The hard network (what the file holds).</param>
/// <param name="Shadow">The trained continuous weights behind it (CPU), for plots.</param>
/// <param name="InitialCentres">Each group's centres before training.</param>
public sealed record EcTrainResult(HardAssignment Quantized, EcHistory History, NetworkValues Shadow, IReadOnlyList<float[]> InitialCentres,
    IReadOnlyList<double> Scales, long Steps, double WallSeconds, int SkippedSteps, int Rollbacks);

public static class EcTrainer
{
    sealed record Note(double WallSeconds, string History, double CrossEntropySum, long CrossEntropyCount);

    /// <summary>What makes two trainings the same one (their checkpoints are keyed by it).</summary>
    public static string Fingerprint(Architecture architecture, EcCodebookSettings codebook, EcTrainSettings settings, long seed, int trainCount, string startKey) =>
        FormattableString.Invariant($"ec|{architecture.Id}|{codebook}|{settings with { HistoryEvery = 0, TestEvery = 0, CheckpointEvery = 0 }}|seed={seed}|n={trainCount}|start={startKey}");

    /// <summary>The relative temperature t at <paramref name="step"/> of <paramref name="steps"/>: geometric from t0 to t1.</summary>
    public static double TemperatureAt(EcTrainSettings s, long step, long steps) =>
        steps <= 1 ? s.FinalTemperature : s.InitialTemperature * Math.Pow(s.FinalTemperature / s.InitialTemperature, (double)step / (steps - 1));

    /// <summary>
    /// Trains from <paramref name="reference"/> (not modified), resuming from a checkpoint in <paramref name="checkpointDirectory"/>
    /// (none when null) keyed by the settings and <paramref name="startKey"/> (what identifies the reference). The caller seeds libtorch.
    /// </summary>
    public static EcTrainResult Run(NetworkValues reference, IDataset data, EcCodebookSettings codebook, EcTrainSettings s, long seed, Device device,
        TextWriter? log = null, string? checkpointDirectory = null, string startKey = "")
    {
        log ??= TextWriter.Null;
        var clock = Stopwatch.StartNew();
        var arch = reference.Architecture;
        var parameters = reference.Parameters.Select(t => new Parameter(t.detach().to(device).clone(), requires_grad: true)).ToList();
        var state = reference.State.Select(t => t.detach().to(device).clone()).ToList();
        var groups = new List<CodebookGroup>();
        foreach (var (name, members) in CodebookGroup.Plan(arch, codebook.CodeBiases))
        {
            var values = members.SelectMany(i => reference.ParameterFloats(i)).ToArray();
            groups.Add(CodebookGroup.Create(name, members, values, codebook.FreeCentres, codebook.InitialZeroFraction, device));
        }
        var initialCentres = groups.Select(g => g.Centres().detach().cpu().data<float>().ToArray()).ToList();
        var inGroup = new bool[arch.Parameters.Count];
        foreach (var g in groups) foreach (var m in g.Members) inGroup[m] = true;
        long codedCount = groups.Sum(g => g.Count);
        log.WriteLine($"entropy-constrained training: {groups.Count} codebooks of {codebook.FreeCentres} free centres + zero " +
                      $"({string.Join(", ", groups.Select(g => $"{g.Name} {g.Count:N0} values, s {g.Scale:G3}"))}); lambda {s.Lambda}, " +
                      $"t {s.InitialTemperature} -> {s.FinalTemperature}, {s.Steps:N0} steps at batch {s.BatchSize}");

        var weightOptimizer = optim.Adam(parameters, lr: s.WeightLearningRate);
        var centreOptimizer = optim.Adam(groups.Select(g => g.Free).ToList(), lr: s.CentreLearningRate);
        var tensors = parameters.Cast<Tensor>().Concat(groups.Select(g => (Tensor)g.Free)).ToList();
        var guard = new TrainingGuard(tensors, [weightOptimizer, centreOptimizer], log);
        var sampler = new BatchSampler(data.TrainCount, s.BatchSize, seed ^ 0xEC);
        int n = s.DatasetSize ?? data.TrainCount;
        long historyEvery = s.HistoryEvery > 0 ? s.HistoryEvery : Math.Max(1, s.Steps / 60);
        long testEvery = s.TestEvery > 0 ? s.TestEvery : Math.Max(1, s.Steps / 6);
        var history = new EcHistory();
        var progress = new Progress(s.Steps, log);
        double ceSum = 0;
        long ceCount = 0;
        string fingerprint = Fingerprint(arch, codebook, s, seed, data.TrainCount, startKey);
        var checkpoint = checkpointDirectory is null ? null
            : new Checkpoint(Checkpoint.PathFor(checkpointDirectory, $"ec-{arch.Id}", fingerprint), fingerprint,
                             tensors.Concat(state).ToList(), [weightOptimizer, centreOptimizer]);
        long start = 0;
        double previousWall = 0;
        if (checkpoint?.Resume<Note>() is { } resumed)
        {
            start = resumed.Step;
            previousWall = resumed.Note.WallSeconds;
            history = EcHistory.FromCsv(resumed.Note.History);
            ceSum = resumed.Note.CrossEntropySum;
            ceCount = resumed.Note.CrossEntropyCount;
            log.WriteLine(start >= s.Steps ? $"entropy-constrained training loaded from {checkpoint.Path}" : $"entropy-constrained training resumed at step {start:N0} from {checkpoint.Path}");
        }
        // the schedule's numbers enter the graph as 0-d tensors (no finalizable Scalars in the hot path)
        var scales = groups.Select(g => tensor(g.Scale * g.Scale, float32, device)).ToList();
        using var temperatureTensor = tensor(1.0, float32, device);
        using var rateWeight = tensor(0.0, float32, device);

        for (long step = start; step < s.Steps; step++)
        {
            guard.BeforeStep(step);
            double t = TemperatureAt(s, step, s.Steps);
            double lambda = s.LambdaWarmupSteps > 0 ? s.Lambda * Math.Min(1.0, (double)step / s.LambdaWarmupSteps) : s.Lambda;
            double decayStart = s.Steps * (1 - s.DecayFraction);
            double rate = s.DecayFraction > 0 && step >= decayStart ? Math.Max(0, (s.Steps - step) / (s.Steps - decayStart)) : 1;
            foreach (var pg in weightOptimizer.ParamGroups) pg.LearningRate = s.WeightLearningRate * rate;
            foreach (var pg in centreOptimizer.ParamGroups) pg.LearningRate = s.CentreLearningRate * rate;
            using (no_grad())
            {
                temperatureTensor.fill_(t);
                rateWeight.fill_(lambda / n);
            }
            long done = step + 1;
            bool test = done % testEvery == 0 || done == s.Steps;
            bool record = test || done % historyEvery == 0;
            using var scope = NewDisposeScope();
            var (x, y) = sampler.BatchAt(data, step, device);
            weightOptimizer.zero_grad();
            centreOptimizer.zero_grad();
            var forward = new Tensor[arch.Parameters.Count];
            for (int i = 0; i < forward.Length; i++) if (!inGroup[i]) forward[i] = parameters[i];
            Tensor size = zeros(1, device: device).sum();
            double hardBits = 0, hardness = 0;
            long nonzero = 0;
            for (int gi = 0; gi < groups.Count; gi++)
            {
                var g = groups[gi];
                var flat = g.Members.Count == 1 ? parameters[g.Members[0]].reshape(-1) : cat(g.Members.Select(i => parameters[i].reshape(-1)).ToList(), 0);
                var centres = g.Centres();
                var logits = RelaxedEntropy.Logits(flat, centres, temperatureTensor * scales[gi]);
                var a = logits.softmax(1);
                var p = RelaxedEntropy.Distribution(a);
                using var count = tensor((double)g.Count, float32, device);
                size = size + count * RelaxedEntropy.EntropyBits(p);
                Tensor nearest;
                using (no_grad()) nearest = logits.argmax(1);
                var quantized = flat - flat.detach() + centres.index_select(0, nearest);
                long offset = 0;
                foreach (var i in g.Members)
                {
                    long c = arch.Parameters[i].Count;
                    forward[i] = quantized.narrow(0, offset, c).reshape(arch.Parameters[i].Shape);
                    offset += c;
                }
                if (record)
                    using (no_grad())
                    {
                        var counts = RelaxedEntropy.Counts(nearest, g.CentreCount);
                        hardBits += RelaxedEntropy.HardBits(counts);
                        nonzero += g.Count - counts[0];
                        hardness += a.max(1).values.sum().item<float>();
                    }
            }
            var network = new NetworkValues(arch, forward, state, owns: false);
            var ce = F.cross_entropy(arch.Forward(x, network, training: true), y);
            var loss = ce + rateWeight * size;
            loss.backward();
            float ceValue = ce.item<float>();
            if (guard.GradientsFinite(loss.item<float>(), step))
            {
                if (guard.Step(step) is long restart)
                {
                    history.Records.RemoveAll(r => r.Step > restart);
                    ceSum = 0;
                    ceCount = 0;
                    step = restart - 1;
                    continue;
                }
                ceSum += ceValue;
                ceCount++;
            }
            if (record)
            {
                double? error = null;
                if (test)
                    using (no_grad())
                    {
                        using var hard = new NetworkValues(arch, forward.Select(f => f.detach().clone()).ToList(), state.Select(v => v.detach().clone()).ToList());
                        error = Evaluation.Error(hard, data, s.HistoryTestLimit);
                    }
                history.Records.Add(new EcRecord(done, t, lambda, ceSum / Math.Max(1, ceCount), size.item<float>(), hardBits, hardness / codedCount,
                    (double)nonzero / codedCount, error));
                ceSum = 0;
                ceCount = 0;
                var r = history.Records[^1];
                var metrics = new Dictionary<string, double> { ["ce"] = r.CrossEntropy, ["relaxed_kB"] = r.RelaxedBits / 8000, ["hard_kB"] = r.HardBits / 8000, ["nonzero"] = r.NonzeroFraction, ["t"] = t };
                if (error is double e) metrics["error"] = e;
                progress.Report(done, metrics, force: error != null);
            }
            if (checkpoint != null && s.CheckpointEvery > 0 && (done % s.CheckpointEvery == 0 || done == s.Steps))
                checkpoint.Save(done, new Note(previousWall + clock.Elapsed.TotalSeconds, history.ToCsv(), ceSum, ceCount));
        }

        // the hard network: every value at its nearest centre of the trained codebook
        var hardGroups = new List<HardGroup>();
        using (no_grad())
            foreach (var g in groups)
            {
                using var scope = NewDisposeScope();
                var flat = cat(g.Members.Select(i => parameters[i].detach().reshape(-1)).ToList(), 0);
                var centres = g.Centres().detach();
                var nearest = RelaxedEntropy.Nearest(flat, centres).to(int32).cpu();
                hardGroups.Add(new HardGroup(g.Name, g.Members.ToArray(), centres.cpu().data<float>().ToArray(), nearest.data<int>().ToArray()));
            }
        var floats = Enumerable.Range(0, arch.Parameters.Count).Select(i => inGroup[i] ? null : NetworkValuesFloats(parameters[i])).ToList();
        var stateFloats = state.Select(NetworkValuesFloats).ToList();
        var result = new HardAssignment(arch, hardGroups, floats, stateFloats);
        var shadow = new NetworkValues(arch, parameters.Select(p => p.detach().cpu().clone()).ToList(), state.Select(v => v.detach().cpu().clone()).ToList());
        var scaleValues = groups.Select(g => g.Scale).ToList();
        foreach (var p in parameters) p.Dispose();
        foreach (var v in state) v.Dispose();
        foreach (var g in groups) g.Dispose();
        foreach (var sc in scales) sc.Dispose();
        (weightOptimizer as IDisposable)?.Dispose();
        (centreOptimizer as IDisposable)?.Dispose();
        double wall = previousWall + clock.Elapsed.TotalSeconds;
        log.WriteLine($"entropy-constrained training done: {s.Steps:N0} steps in {wall:F0} s; hard size {result.EntropyBits() / 8000:F2} kB (entropy), " +
                      $"{result.NonzeroWeightFraction():P2} non-zero weights");
        return new EcTrainResult(result, history, shadow, initialCentres, scaleValues, s.Steps, wall, guard.SkippedSteps, guard.Rollbacks);
    }

    static float[] NetworkValuesFloats(Tensor t)
    {
        using var cpu = t.detach().to(float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
