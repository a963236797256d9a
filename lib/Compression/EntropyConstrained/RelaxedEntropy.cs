// The size term of entropy-constrained training and its continuous relaxation.
//
// A group g holds n_g values w_i (one weight tensor, or all biases) and a codebook of K centres c_k, c_0 = 0 fixed
// (a weight assigned to it is pruned). After training each value is replaced by its nearest centre and the indices are
// coded with a table from their frequencies: the group then costs about n_g * H(P_g) bits, with P_g the histogram of
// the hard assignments (cardinality reduction and pruning are the special cases K small and P_0 near 1).
//
// That histogram is piecewise constant in the weights; the relaxation replaces the hard assignment by a soft one
//     a_ik = softmax_k( -(w_i - c_k)^2 / T )                         (soft assignment, rows sum to 1)
//     P_k  = (1 / n_g) sum_i a_ik                                    (relaxed assignment distribution)
//     S_T  = n_g * H(P) = -n_g sum_k P_k log2 P_k                     (relaxed size, bits)
// which is differentiable in w and c and tends to the hard n_g * H(histogram) as T -> 0 (a_ik -> one-hot on the
// nearest centre). Its gradient tells each weight the code length -log2 P_k of the centres it is softly assigned to:
// dS_T / da_ik = -log2 P_k - 1/ln 2.
//
// Source: our design. Wiedemann et al. 2018 (seed 001) derive an entropy of the network and "a continuous relaxation"
// but the relaxation itself is not available here. The closest published relative, which this follows, is the
// soft-to-hard vector quantization of Agustsson, Mentzer, Tschannen, Cavigelli, Timofte, Benini and Van Gool (NeurIPS
// 2017): softmax assignments over -||z - c||^2 / sigma annealed towards the hard ones, and the entropy of the histogram
// of soft assignments as the rate term (their section 3.2, used there for DNN compression too).
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.EntropyConstrained;

public static class RelaxedEntropy
{
    /// <summary>log2(e): converts nats to bits.</summary>
    public const double BitsPerNat = 1.4426950408889634;

    /// <summary>The logits -(w_i - c_k)^2 / T of the soft assignment, [n, K], for values [n] and centres [K]; T is a 0-d tensor.</summary>
    public static Tensor Logits(Tensor values, Tensor centres, Tensor temperature)
    {
        using var scope = NewDisposeScope();
        var d = values.reshape(-1, 1) - centres.reshape(1, -1);
        return (-(d * d) / temperature).MoveToOuterDisposeScope();
    }

    /// <summary>The soft assignments a_ik (rows sum to 1), [n, K].</summary>
    public static Tensor SoftAssignments(Tensor values, Tensor centres, Tensor temperature)
    {
        using var logits = Logits(values, centres, temperature);
        return logits.softmax(1);
    }

    /// <summary>P_k = mean over i of a_ik, [K].</summary>
    public static Tensor Distribution(Tensor assignments) => assignments.mean([0]);

    /// <summary>H(P) in bits, a 0-d tensor (0 log 0 = 0; the gradient at P_k = 0 is taken at a tiny floor).</summary>
    public static Tensor EntropyBits(Tensor distribution)
    {
        using var scope = NewDisposeScope();
        using var floor = tensor(1e-30, distribution.dtype, distribution.device);
        using var toBits = tensor(BitsPerNat, distribution.dtype, distribution.device);
        var h = -(distribution * maximum(distribution, floor).log()).sum() * toBits;
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>The relaxed size S_T = n * H(P) in bits of <paramref name="values"/> (any shape) under <paramref name="centres"/>.</summary>
    public static Tensor Bits(Tensor values, Tensor centres, Tensor temperature)
    {
        using var scope = NewDisposeScope();
        var a = SoftAssignments(values.reshape(-1), centres, temperature);
        using var n = tensor((double)values.numel(), a.dtype, a.device);
        return (n * EntropyBits(Distribution(a))).MoveToOuterDisposeScope();
    }

    /// <summary>The hard assignment: index of the nearest centre of every value (the first on ties), [n].</summary>
    public static Tensor Nearest(Tensor values, Tensor centres)
    {
        using var scope = NewDisposeScope();
        var d = (values.reshape(-1, 1) - centres.reshape(1, -1)).abs();
        return d.argmin(1).MoveToOuterDisposeScope();
    }

    /// <summary>n * H(histogram) in bits of hard assignments among <paramref name="centres"/> symbols: the size term at T = 0.</summary>
    public static double HardBits(ReadOnlySpan<long> counts)
    {
        long n = 0;
        foreach (var c in counts) n += c;
        if (n == 0) return 0;
        double bits = 0;
        foreach (var c in counts)
            if (c > 0) bits -= c * Math.Log2((double)c / n);
        return bits;
    }

    /// <summary>Counts of each of <paramref name="centres"/> symbols among hard assignments.</summary>
    public static long[] Counts(Tensor assignments, int centres)
    {
        using var cpu = assignments.to(int64).cpu().bincount(null, centres);
        return cpu.data<long>().ToArray();
    }
}
