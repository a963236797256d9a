// Where display() output goes: the outputs of the cell the runner is executing right now.
using NotebookRunner.Notebook;

namespace NotebookRunner.Display;

public static class DisplayContext
{
    static volatile CellOutputs? current;

    public static CellOutputs? Current
    {
        get => current;
        internal set => current = value;
    }

    internal static CellOutputs Require() => current
        ?? throw new InvalidOperationException("display() can only be used while NotebookRunner executes a notebook cell.");
}
