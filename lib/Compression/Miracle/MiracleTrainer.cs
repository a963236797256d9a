// MIRACLE's training and coding (Havasi et al. 2019, Algorithm 2): I0 variational iterations of
//     loss = mean CE(Architecture.Forward(x, hash(v ~ q))) + (1 / N_train) sum_b beta_b KL_b,
// with the per-block penalty rule after every step (BlockPenalties) and the prior's per-layer log std learned; then,
// with p fixed, block by block: choose a candidate (CandidateSearch), freeze the block at it, and train the blocks
// not yet coded for I iterations; until every block is coded. The coded values are exactly what the file decodes to
// (checked here against MiracleCode's decoder before returning).
using System.Diagnostics;
using Compression.Data;
using Compression.Models;
using Compression.Randomness;
using Compression.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Miracle;

/// <summary>A finished MIRACLE run: the code, the network it decodes to (CPU), and the curves.</summary>
public sealed class MiracleTrainingResult(MiracleCode code, NetworkValues decoded, MiracleHistory history, HashingLayout hashing, long steps,
    double variationalSeconds, double codingSeconds, double searchSeconds, int trainCount) : IDisposable
{
    public MiracleCode Code { get; } = code;
    public NetworkValues Decoded { get; } = decoded;
    public MiracleHistory History { get; } = history;
    public HashingLayout Hashing { get; } = hashing;
    public long Steps { get; } = steps;
    public double VariationalSeconds { get; } = variationalSeconds;
    public double CodingSeconds { get; } = codingSeconds;
    /// <summary>Of the coding time, the candidate searches (and the candidate table).</summary>
    public double SearchSeconds { get; } = searchSeconds;
    public int TrainCount { get; } = trainCount;

    public void Dispose() => Decoded.Dispose();
}

public static class MiracleTrainer
{
    const long SelectionPurpose = 0x5E1E;

    public static MiracleTrainingResult Train(Architecture architecture, IDataset data, MiracleOptions o, Device device, TextWriter? log = null, NetworkValues? initial = null)
    {
        log ??= TextWriter.Null;
        Devices.Seed(o.Seed, o.Threads);
        if (architecture.HasConvolutions) ConvolutionCheck.EnsureAccurate(device);
        var train = DatasetView.Limit(data, o.TrainLimit, null);
        var hashing = HashingLayout.FromShrinkFactors(architecture, o.Seed, o.Shrink);
        var blocks = new BlockLayout(hashing.VariableCount, BlockLayout.BlocksFor(hashing.VariableCount, o.BlockSize), o.Seed);
        if (o.BitsPerBlock is < 1 or > MiracleCode.MaxBitsPerBlock) throw new ArgumentOutOfRangeException(nameof(o), o.BitsPerBlock, "bits per block");
        log.WriteLine($"MIRACLE {architecture.DisplayName}, budget {o.Budget}: {o.Describe()}");
        log.WriteLine($"hashing: {hashing.Describe()}; {blocks.BlockCount:N0} blocks of {blocks.VariableCount / blocks.BlockCount}-{blocks.MaxBlockSize} variables, " +
                      $"{blocks.BlockCount * (long)o.BitsPerBlock:N0} bits of indices ({blocks.BlockCount * (long)o.BitsPerBlock / 8.0:N0} B)");

        VariationalNetwork net;
        using (var init = NewDisposeScope())
        {
            using var start = initial?.Copy(device) ?? architecture.NewNetwork(device);
            net = new VariationalNetwork(hashing, blocks, start, o, device);
        }
        using var _ = net;
        using var penalties = new BlockPenalties(blocks.BlockCount, o.InitialBeta, o.BudgetNats, o.Epsilon, device);
        using var optimizer = optim.Adam([net.Mu, net.Rho], o.LearningRate);
        using var priorOptimizer = optim.Adam([net.PriorLogStd], o.LearningRate);
        using var uncoded = ones([blocks.BlockCount], dtype: @bool, device: device);
        using var perExample = tensor(1.0f / train.TrainCount, device: device);
        var sampler = new BatchSampler(train.TrainCount, o.BatchSize, o.Seed);
        var history = new MiracleHistory { BudgetBits = o.BitsPerBlock };
        long total = o.VariationalSteps + (long)o.RetrainSteps * Math.Max(0, blocks.BlockCount - 1);
        var progress = new Progress(total, log, examplesPerStep: o.BatchSize);
        long step = 0;
        double ceSum = 0, klSum = 0; int window = 0;

        (double Ce, double KlNats) Step(bool trainPrior)
        {
            using var scope = NewDisposeScope();
            manual_seed(SeedSequence.Derive(o.Seed, step, 0x57E9));
            var (x, y) = sampler.BatchAt(train, step, device);
            var values = net.Values(net.Sample());
            var ce = F.cross_entropy(architecture.Forward(x, values, training: true), y);
            var klBlock = net.PerBlock(net.KlPerVariable());
            var active = klBlock * uncoded;
            var loss = ce + (penalties.Beta.to(float32) * active).sum() * perExample;
            optimizer.zero_grad();
            priorOptimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (trainPrior) priorOptimizer.step();
            penalties.Update(klBlock, uncoded);
            step++;
            return (ce.item<float>(), active.sum().item<float>());
        }

        void Report(string phase, double ce, double kl, bool evaluate, bool force = false)
        {
            double error = double.NaN;
            if (evaluate)
            {
                using var scope = NewDisposeScope();
                using var no = no_grad();
                error = Evaluation.Error(net.Values(net.Mean()), data, o.EvaluationLimit);
            }
            double meanLogBeta;
            using (no_grad()) meanLogBeta = penalties.Beta.log10().mean().item<double>();
            history.Rows.Add(new TrainingRow(step, phase, ce, kl / Math.Log(2), meanLogBeta, error));
            var metrics = new Dictionary<string, double> { ["ce"] = ce, ["kl_kB"] = kl / Math.Log(2) / 8000, ["log10_beta"] = meanLogBeta };
            if (evaluate) metrics["test_err"] = error;
            progress.Report(step, metrics, force);
        }

        void Snapshot()
        {
            using var scope = NewDisposeScope();
            using var no = no_grad();
            var bits = (net.PerBlock(net.KlPerVariable()) / Math.Log(2)).to(float64).cpu().data<double>().ToArray();
            history.Snapshots.Add(new KlSnapshot(step, bits));
        }

        // 1. the variational phase
        var clock = Stopwatch.StartNew();
        Snapshot();
        while (step < o.VariationalSteps)
        {
            var (ce, kl) = Step(trainPrior: true);
            ceSum += ce; klSum += kl; window++;
            bool evaluate = step % o.EvaluateEvery == 0 || step == o.VariationalSteps;
            if (step % o.LogEvery == 0 || evaluate) { Report("variational", ceSum / window, klSum / window, evaluate); ceSum = klSum = 0; window = 0; }
            if (step % o.SnapshotEvery == 0 || step == o.VariationalSteps) Snapshot();
        }
        double variationalSeconds = clock.Elapsed.TotalSeconds;

        // 2. coding, block by block, with p fixed
        clock.Restart();
        var search = new Stopwatch();
        if (o.EpsilonWhileCoding is double e) penalties.SetEpsilon(e);
        float[] priorStds;
        using (no_grad()) using (var stds = net.PriorLogStd.detach().exp().cpu()) priorStds = stds.data<float>().ToArray();
        log.WriteLine($"coding {blocks.BlockCount:N0} blocks, {1L << o.BitsPerBlock:N0} candidates each; prior stds " +
                      string.Join(", ", hashing.Layers.Select((l, i) => $"{l} {priorStds[i]:G4}")));
        search.Start();
        int count = 1 << o.BitsPerBlock, stride = blocks.MaxBlockSize;
        var table = CandidateGenerator.Table(o.Seed, count, stride, o.Threads);
        search.Stop();
        var layerOf = hashing.LayerOfVariable();
        var coded = new float[blocks.VariableCount];
        var indices = new ulong[blocks.BlockCount];
        var z = new float[stride];
        int evaluations = Math.Max(1, blocks.BlockCount / 10);
        for (int b = 0; b < blocks.BlockCount; b++)
        {
            var members = blocks.Variables(b).ToArray();
            using var index = tensor(members.Select(v => (long)v).ToArray(), device: device);
            double[] bm, bq;
            using (no_grad())
            {
                using var m = net.Mu.detach().index_select(0, index).to(float64).cpu();
                using var r = net.Rho.detach().index_select(0, index).to(float64).cpu();
                bm = m.data<double>().ToArray();
                bq = r.data<double>().ToArray().Select(Math.Exp).ToArray();
            }
            var bp = members.Select(v => (double)priorStds[layerOf[v]]).ToArray();
            double klNats = 0;
            for (int d = 0; d < members.Length; d++)
            {
                double ratio = bq[d] / bp[d], scaled = bm[d] / bp[d];
                klNats += Math.Log(bp[d] / bq[d]) + (ratio * ratio + scaled * scaled - 1) / 2;
            }
            double u = new SplitMix64((ulong)SeedSequence.Derive(o.Seed, b, SelectionPurpose)).NextDouble();
            search.Start();
            var choice = CandidateSearch.Choose(table, stride, count, bm, bq, bp, o.Selection, u);
            search.Stop();
            indices[b] = (ulong)choice.Index;
            CandidateGenerator.Fill(o.Seed, choice.Index, z.AsSpan(0, members.Length));
            var values = new float[members.Length];
            for (int d = 0; d < members.Length; d++) coded[members[d]] = values[d] = MiracleCode.Value(priorStds[layerOf[members[d]]], z[d]);
            using (no_grad())
            {
                using var v = tensor(values, device: device);
                using var t = tensor(true, device: device);
                using var bi = tensor(new long[] { b }, device: device);
                using var f = tensor(false, device: device);
                net.FrozenValues.index_put_(v, index);
                net.Frozen.index_put_(t, index);
                uncoded.index_put_(f, bi);
            }
            for (int i = 0; i < o.RetrainSteps && b < blocks.BlockCount - 1; i++)
            {
                var (ce, kl) = Step(trainPrior: false);
                ceSum += ce; klSum += kl; window++;
            }
            bool evaluate = (b + 1) % evaluations == 0 || b == blocks.BlockCount - 1;
            double error = double.NaN;
            if (evaluate)
            {
                using var scope = NewDisposeScope();
                using var no = no_grad();
                error = Evaluation.Error(net.Values(net.Mean()), data, o.EvaluationLimit);
                log.WriteLine($"coded {b + 1:N0}/{blocks.BlockCount:N0} blocks: test error {error:P2} ({(o.EvaluationLimit is int n ? $"first {n:N0}" : "all")} test images), " +
                              $"search {search.Elapsed.TotalSeconds:F1} s");
                if (window > 0) { Report("coding", ceSum / window, klSum / window, false, force: true); ceSum = klSum = 0; window = 0; }
            }
            history.Coding.Add(new CodedBlock(b, b, members.Length, indices[b], klNats / Math.Log(2), choice.LogWeight / Math.Log(2),
                choice.MaxLogWeight / Math.Log(2), choice.EffectiveSamples, error));
        }
        double codingSeconds = clock.Elapsed.TotalSeconds;

        // 3. what the file decodes to: the decoder's own computation must give the values the encoder froze
        var code = new MiracleCode(o.Seed, o.BitsPerBlock, blocks.BlockCount, hashing.VariableCounts.ToArray(), priorStds, indices);
        var decodedVariables = code.Variables(hashing, blocks);
        if (!decodedVariables.AsSpan().SequenceEqual(coded)) throw new InvalidOperationException("the decoder's candidates differ from the encoder's");
        var parameters = hashing.Expand(coded);
        var state = net.State.Select(s => { using var c = s.detach().to(float32).cpu().contiguous(); return c.data<float>().ToArray(); }).ToList();
        var decoded = NetworkValues.FromArrays(architecture, parameters, state);
        return new MiracleTrainingResult(code, decoded, history, hashing, step, variationalSeconds, codingSeconds, search.Elapsed.TotalSeconds, train.TrainCount);
    }
}
