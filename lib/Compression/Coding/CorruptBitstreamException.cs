// The coder's one error for a range-coded stream that no encoder could have written: an escape code with too
// many leading zeros or a value outside int, or bytes left over after the last symbol. It names the byte of the
// stream where decoding stood; the compressed-model file turns it into a CorruptModelFileException with the
// byte's offset in the file.
namespace Compression.Coding;

public sealed class CorruptBitstreamException(string problem, long position)
    : IOException($"{problem} (at byte {position} of the stream)")
{
    /// <summary>What is wrong, without position.</summary>
    public string Problem { get; } = problem;

    /// <summary>Bytes of the stream the decoder had read when it found the problem.</summary>
    public long Position { get; } = position;
}
