// Turns a value into a MIME bundle with Microsoft.DotNet.Interactive.Formatting, the way .NET Interactive does:
// the type's preferred MIME types (text/html for objects, text/plain for strings), plus a text/plain fallback.
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner.Display;

public static class MimeBundle
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";

    /// <param name="mimeTypes">Exactly these MIME types; none means the preferred ones plus text/plain.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        if (value is null) return [KeyValuePair.Create(PlainText, Formatter.NullString)];
        var mimes = mimeTypes is { Count: > 0 } ? mimeTypes.Distinct().ToList() : DefaultMimeTypes(value);
        return mimes.Select(m => KeyValuePair.Create(m, FormatAs(value, m))).ToArray();
    }

    /// <summary>A string shown as-is under one MIME type (DisplayAs semantics: no formatting, no escaping).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Raw(string value, string mimeType) => [KeyValuePair.Create(mimeType, value)];

    static List<string> DefaultMimeTypes(object value)
    {
        var mimes = Formatter.GetPreferredMimeTypesFor(value.GetType()).ToList();
        if (mimes.Count == 0) mimes.Add(Formatter.DefaultMimeType);
        if (value is not IHtmlContent && !mimes.Contains(PlainText)) mimes.Add(PlainText);
        return mimes;
    }

    static string FormatAs(object value, string mime)
    {
        try
        {
            return value.ToDisplayString(mime);
        }
        catch (Exception e)
        {
            // A display must never take the cell down (e.g. a disposed tensor): say what happened instead.
            var message = $"{value.GetType().FullName}: formatting as {mime} failed: {e.GetType().Name}: {e.Message}";
            return mime == Html ? $"<pre>{System.Net.WebUtility.HtmlEncode(message)}</pre>" : message;
        }
    }
}
