// The notebook helpers .NET Interactive's C# kernel offers as globals (display, HTML). The runner imports this class
// into every notebook with a hidden first submission `using static NotebookRunner.Display.Kernel;`.
using Microsoft.AspNetCore.Html;
using NotebookRunner.Notebook;

namespace NotebookRunner.Display;

public static class Kernel
{
    /// <summary>Shows a value as a display_data output of the running cell; returns a handle to update it later.</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var outputs = DisplayContext.Require();
        var output = new DisplayOutput(MimeBundle.Format(value, mimeTypes));
        outputs.Add(output);
        return new DisplayedValue(outputs, output, mimeTypes);
    }

    /// <summary>Marks a string as HTML, so display() and trailing expressions render it as text/html.</summary>
    public static IHtmlContent HTML(string html) => new HtmlString(html);

    internal static DisplayedValue DisplayRaw(string value, string mimeType)
    {
        var outputs = DisplayContext.Require();
        var output = new DisplayOutput(MimeBundle.Raw(value, mimeType));
        outputs.Add(output);
        return new DisplayedValue(outputs, output, [mimeType], raw: true);
    }
}
