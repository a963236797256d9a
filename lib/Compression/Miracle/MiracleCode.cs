// What a MIRACLE file says, and what it decodes to (Havasi et al. 2019, Algorithm 1, the decoder's side): the seed,
// C_loc bits per block, the split into B blocks, the hashing layout (variables per parameter), the per-layer std of
// the encoding distribution p = N(0, sigma_l^2), and one index k_b < 2^C_loc per block. Block b's variables are
//     v_i = float32(sigma_l(i)) * z_(k_b, d),   i the d-th variable of block b,
// z the shared candidates (CandidateGenerator), and the parameters follow by hashing: w_j = s_j v_h(j). The encoder
// freezes each block at exactly these float32 values, so encoder and decoder agree bit for bit.
using Compression.Models;

namespace Compression.Miracle;

public sealed record MiracleCode(long Seed, int BitsPerBlock, int BlockCount, long[] VariableCounts, float[] PriorStds, ulong[] Indices)
{
    /// <summary>The largest number of bits per block a file may declare (2^30 candidates; the paper uses 20).</summary>
    public const int MaxBitsPerBlock = 30;

    /// <summary>A coded variable: the candidate's deviate scaled by its layer's prior std, in float32.</summary>
    public static float Value(float priorStd, float z) => priorStd * z;

    public HashingLayout Hashing(Architecture architecture) => new(architecture, Seed, VariableCounts);

    public BlockLayout Blocks(HashingLayout hashing) => new(hashing.VariableCount, BlockCount, Seed);

    /// <summary>The value of every variable: each block's candidate, regenerated from the seed and its index.</summary>
    public float[] Variables(HashingLayout hashing, BlockLayout blocks)
    {
        var layer = hashing.LayerOfVariable();
        var values = new float[blocks.VariableCount];
        var z = new float[blocks.MaxBlockSize];
        for (int b = 0; b < BlockCount; b++)
        {
            var members = blocks.Variables(b);
            CandidateGenerator.Fill(Seed, (long)Indices[b], z.AsSpan(0, members.Length));
            for (int d = 0; d < members.Length; d++) values[members[d]] = Value(PriorStds[layer[members[d]]], z[d]);
        }
        return values;
    }

    /// <summary>The network's parameters (float32 arrays in parameter order).</summary>
    public float[][] Parameters(Architecture architecture)
    {
        var hashing = Hashing(architecture);
        return hashing.Expand(Variables(hashing, Blocks(hashing)));
    }

    /// <summary>The paper's way of counting the size: B x C_loc bits (the indices alone), in bytes.</summary>
    public double PaperCountedBytes => (double)BlockCount * BitsPerBlock / 8;
}
