// What goes wrong with a weights file, said once with the file's path: unreadable or corrupt content, or tensors that
// do not fit the architecture (every missing, extra and mis-shaped one is listed, not just the first).
namespace Compression.Interop;

public sealed class WeightsFileException(string path, string problem)
    : IOException($"{path}: {problem}")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}
