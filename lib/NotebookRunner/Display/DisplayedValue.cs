// The handle display() returns: Update(value) replaces what the display shows (as in VS Code), in whichever cell it lives.
using NotebookRunner.Notebook;

namespace NotebookRunner.Display;

public sealed class DisplayedValue
{
    readonly CellOutputs outputs;
    readonly DisplayOutput output;
    readonly string[] mimeTypes;
    readonly bool raw;

    /// <param name="raw">Created by DisplayAs: string updates are shown as-is under the same MIME type.</param>
    internal DisplayedValue(CellOutputs outputs, DisplayOutput output, string[] mimeTypes, bool raw = false)
    {
        this.outputs = outputs;
        this.output = output;
        this.mimeTypes = mimeTypes;
        this.raw = raw;
    }

    public void Update(object? value) => outputs.Replace(output,
        raw && value is string s ? MimeBundle.Raw(s, mimeTypes[0]) : MimeBundle.Format(value, mimeTypes));

    public override string ToString() => "DisplayedValue";
}
