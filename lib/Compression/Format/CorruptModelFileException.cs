// The one error a compressed-model file reader raises for bad input: what is wrong, at which byte, in which
// field, and in which file. Truncation, wrong magic or version, bad lengths, bad values, checksum mismatch.
namespace Compression.Format;

public sealed class CorruptModelFileException : IOException
{
    public CorruptModelFileException(string problem, long offset, string field, string? source = null, Exception? inner = null)
        : base($"{source ?? "compressed-model file"}: {problem} (at byte {offset}, in {field})", inner)
    {
        Problem = problem;
        Offset = offset;
        Field = field;
        Source = source;
    }

    /// <summary>What is wrong, without position.</summary>
    public string Problem { get; }

    /// <summary>Byte offset in the file where the bad field starts.</summary>
    public long Offset { get; }

    /// <summary>The field being read, e.g. "group 'fc1' bitstream length".</summary>
    public string Field { get; }

    /// <summary>The file's path, when it was read from one.</summary>
    public new string? Source { get; }

    /// <summary>The same error, naming the file it came from.</summary>
    internal CorruptModelFileException WithSource(string source) => new(Problem, Offset, Field, source, InnerException);
}
