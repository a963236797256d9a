// One coded group's rate: its real bitstream bytes beside the self-information of its symbols under its
// tables (the estimate a training loss or notebook works with).
namespace Compression.Format;

public sealed record GroupRate(string Group, int Symbols, int Columns, long BitstreamBytes, double SelfInformationBits)
{
    public double SelfInformationBytes => SelfInformationBits / 8;

    /// <summary>Bitstream bytes beyond the self-information (termination and coder rounding).</summary>
    public double OverheadBytes => BitstreamBytes - SelfInformationBytes;

    public double OverheadPercent => SelfInformationBytes > 0 ? 100 * OverheadBytes / SelfInformationBytes : 0;

    /// <summary>Real bitstream bits per coded symbol.</summary>
    public double BitsPerSymbol => Symbols > 0 ? BitstreamBytes * 8.0 / Symbols : 0;
}
