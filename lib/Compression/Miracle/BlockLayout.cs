// MIRACLE's blocks (Havasi et al. 2019, section 3.2): the N variables are split at random, from the shared seed, into
// B blocks of equal size (the first N mod B blocks hold one more variable):
//     block b = { pi(i) : start_b <= i < start_(b+1) },   start_b = b floor(N / B) + min(b, N mod B),
// pi a SeededPermutation of the variables. Each block is coded with one index of C_loc bits.
namespace Compression.Miracle;

public sealed class BlockLayout
{
    const long Purpose = 0xB10C;
    readonly int[] order;

    public BlockLayout(long variableCount, int blockCount, long seed)
    {
        if (variableCount < 1 || variableCount > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(variableCount), variableCount, "1..int.MaxValue variables");
        if (blockCount < 1 || blockCount > variableCount) throw new ArgumentOutOfRangeException(nameof(blockCount), blockCount, $"1..{variableCount} blocks");
        VariableCount = (int)variableCount;
        BlockCount = blockCount;
        order = SeededPermutation.Of(VariableCount, Randomness.SeedSequence.Derive(seed, 0, Purpose));
    }

    /// <summary>B blocks of about <paramref name="blockSize"/> variables: B = ceil(N / size).</summary>
    public static int BlocksFor(long variableCount, int blockSize) => (int)Math.Min(variableCount, (variableCount + blockSize - 1) / blockSize);

    public int VariableCount { get; }
    public int BlockCount { get; }

    /// <summary>The largest block's size, ceil(N / B).</summary>
    public int MaxBlockSize => (VariableCount + BlockCount - 1) / BlockCount;

    public int Start(int block) => block * (VariableCount / BlockCount) + Math.Min(block, VariableCount % BlockCount);

    public int Size(int block) => Start(block + 1) - Start(block);

    /// <summary>The variables of block <paramref name="block"/> (indices into the vector of all variables).</summary>
    public ReadOnlySpan<int> Variables(int block) => order.AsSpan(Start(block), Size(block));

    /// <summary>The block of every variable.</summary>
    public int[] BlockOfVariable()
    {
        var result = new int[VariableCount];
        for (int b = 0; b < BlockCount; b++) foreach (var v in Variables(b)) result[v] = b;
        return result;
    }
}
