// How a weights file's tensors are matched to an architecture's parameters and state (WeightsFile.Import).
namespace Compression.Interop;

public sealed record ImportOptions
{
    /// <summary>
    /// Maps a name in the file to the architecture's name for it, or to null to leave the tensor out (reported as
    /// ignored). Applied before matching; e.g. <c>n =&gt; n.StartsWith("module.") ? n[7..] : n</c> for nn.DataParallel.
    /// </summary>
    public Func<string, string?>? Rename { get; init; }

    /// <summary>
    /// Name patterns (* any run, ? one character; matched after <see cref="Rename"/>) of tensors in the file that the
    /// architecture does not name and that are left out without error, but reported. By default PyTorch's batch-norm
    /// counters, "*.num_batches_tracked".
    /// </summary>
    public IReadOnlyList<string> Ignore { get; init; } = ["*.num_batches_tracked"];

    /// <summary>Leave out (and report) every tensor the architecture does not name instead of failing.</summary>
    public bool IgnoreUnknown { get; init; }

    /// <summary>
    /// State tensors (running statistics) absent from the file start at their initial values (reported) instead of
    /// failing. Parameters are never filled in.
    /// </summary>
    public bool InitialStateWhenMissing { get; init; }

    /// <summary>
    /// The most bytes the file's tensors may declare in all (a bound on the work a corrupt or hostile file can cause);
    /// null: 16 bytes per value the architecture has, plus 64 MiB.
    /// </summary>
    public long? MaxBytes { get; init; }
}

/// <summary>What an import did besides matching: tensors left out, converted to float32, or started at their initial values.</summary>
public sealed record ImportReport(string Path, WeightsFormat Format, IReadOnlyList<string> Ignored, IReadOnlyList<string> Converted,
    IReadOnlyList<string> InitialState)
{
    public override string ToString() =>
        $"{Path} ({Format})" +
        (Ignored.Count > 0 ? $"; ignored: {string.Join(", ", Ignored)}" : "") +
        (Converted.Count > 0 ? $"; converted to float32: {string.Join(", ", Converted)}" : "") +
        (InitialState.Count > 0 ? $"; not in the file, initial values: {string.Join(", ", InitialState)}" : "");
}
