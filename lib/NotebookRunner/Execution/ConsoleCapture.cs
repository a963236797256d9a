// Routes Console.Out/Console.Error into the running cell's stream outputs while echoing them live (so long training
// shows progress in a terminal or CI log). Only managed writes are seen; native code writing to fd 1/2 is not.
using System.Text;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public sealed class ConsoleCapture : IDisposable
{
    readonly TextWriter savedOut, savedError;
    volatile CellOutputs? target;

    public ConsoleCapture(TextWriter echoOut, TextWriter echoError)
    {
        savedOut = Console.Out;
        savedError = Console.Error;
        Console.SetOut(new CapturingWriter(this, "stdout", echoOut));
        Console.SetError(new CapturingWriter(this, "stderr", echoError));
    }

    /// <summary>The cell whose outputs receive console text; null drops it (the echo still happens).</summary>
    public CellOutputs? Target
    {
        get => target;
        set => target = value;
    }

    public void Dispose()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Console.SetOut(savedOut);
        Console.SetError(savedError);
    }

    sealed class CapturingWriter(ConsoleCapture owner, string stream, TextWriter echo) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            owner.target?.AppendStream(stream, value);
            lock (echo)
            {
                echo.Write(value);
                if (value.Contains('\n')) echo.Flush();
            }
        }

        public override void WriteLine(string? value) => Write(value + NewLine);

        public override void Flush()
        {
            lock (echo) echo.Flush();
        }
    }
}
