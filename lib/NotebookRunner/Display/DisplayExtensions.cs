// The Display()/DisplayAs() extension methods notebooks call on any value, in namespace System as .NET Interactive has them.
using NotebookRunner.Display;

namespace System;

public static class DisplayExtensions
{
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => Kernel.display(value, mimeTypes);

    /// <summary>Shows the string itself under the given MIME type, e.g. <c>"&lt;b&gt;hi&lt;/b&gt;".DisplayAs("text/html")</c>.</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) => Kernel.DisplayRaw(value, mimeType);
}
