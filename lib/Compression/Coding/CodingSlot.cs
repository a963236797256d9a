// One symbol's place in a table's coding order: where its interval starts and how wide it is, in units
// of 2^-precision of the coder's range. The last symbol in coding order also takes the range's remainder.
using System.Runtime.InteropServices;

namespace Compression.Coding;

[StructLayout(LayoutKind.Sequential)]
internal readonly struct CodingSlot(uint start, uint frequency, uint remainderMask)
{
    /// <summary>Cumulative frequency of the symbols before this one in coding order.</summary>
    public readonly uint Start = start;
    public readonly uint Frequency = frequency;
    /// <summary>All ones for the symbol that absorbs range - (range >> precision) * 2^precision, else zero.</summary>
    public readonly uint RemainderMask = remainderMask;
}
