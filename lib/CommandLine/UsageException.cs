// A command line the tool cannot run: the message is one line that says what is wrong and, where there is one, the
// fix. Tools catch it, print the line on stderr and exit with ExitCode before they create anything.
namespace StrictCli;

public sealed class UsageException(string message) : Exception(message)
{
    /// <summary>The exit code of a bad command line in every tool of the package.</summary>
    public const int ExitCode = 2;
}
