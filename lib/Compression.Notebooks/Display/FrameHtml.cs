// Deedle frames and series as plain HTML tables: the column keys as the header (no row of column types), numbers
// rounded for reading, missing values empty, and a horizontal scroll bar instead of overflow when a table is wide.
// Built from Deedle's own IFrameFormattable grid, the same one its interactive formatter would use.
using System.Net;
using System.Text;
using Deedle.Internal;

namespace Compression.Notebooks.Display;

public static class FrameHtml
{
    public static int MaxRows { get; set; } = 200;
    public static int MaxColumns { get; set; } = 40;

    public static string Frame(IFrameFormattable frame)
    {
        var grid = frame.InteractiveFormat(MaxRows, MaxColumns, true);
        int levels = frame.GetColLevels();
        // Deedle's grid: `levels` rows of column keys, then one row of column types, then the data rows.
        var header = grid.Take(levels).ToArray();
        var body = grid.Skip(levels + 1).ToArray();
        var (rows, cols) = frame.GetDimensions();
        return Table(header, body, frame.GetRowLevels(), $"{rows} rows × {cols} columns", showKeys: !IsDefaultIndex(body, frame.GetRowLevels()));
    }

    public static string Series(ISeriesFormattable series) =>
        Table([], series.InteractiveFormat(MaxRows), series.GetKeyLevels(), $"{series.GetKeyCount()} values", showKeys: true);

    /// <summary>Plain text: the same table, columns padded.</summary>
    public static string FrameText(IFrameFormattable frame)
    {
        var grid = frame.InteractiveFormat(MaxRows, MaxColumns, true);
        int levels = frame.GetColLevels();
        var rows = grid.Take(levels).Concat(grid.Skip(levels + 1)).Select(r => r.Select(Readable.Cell).ToArray()).ToArray();
        int width = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, width).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        return string.Join("\n", rows.Select(r => string.Join("  ", r.Select((v, c) => v.PadLeft(widths[c]))).TrimEnd()));
    }

    // Tables.Of and FromRecords number rows 0, 1, 2, ...: such keys say nothing and are left out.
    static bool IsDefaultIndex(string[][] body, int keyColumns) =>
        keyColumns == 1 && body.Select((r, i) => r.Length > 0 && (r[0] == i.ToString(System.Globalization.CultureInfo.InvariantCulture) || r[0] is "..." or ":")).All(b => b);

    static string Table(string[][] header, string[][] body, int keyColumns, string caption, bool showKeys)
    {
        // Deedle puts a "->" column between the row keys and the values; a table does not need it.
        bool arrow = body.Length > 0 && body.All(r => r.Length > keyColumns && r[keyColumns] is "->" or "" or "..." or ":");
        bool Keep(int c) => !(arrow && c == keyColumns) && (showKeys || c >= keyColumns);
        var html = new StringBuilder("<div class=\"compression-table\" style=\"overflow-x: auto; max-width: 100%\"><table>");
        if (header.Length > 0)
        {
            html.Append("<thead>");
            foreach (var row in header)
            {
                html.Append("<tr>");
                for (int c = 0; c < row.Length; c++)
                    if (Keep(c)) html.Append("<th>").Append(WebUtility.HtmlEncode(row[c])).Append("</th>");
                html.Append("</tr>");
            }
            html.Append("</thead>");
        }
        html.Append("<tbody>");
        foreach (var row in body)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Length; c++)
            {
                if (!Keep(c)) continue;
                var tag = c < keyColumns ? "th" : "td";
                var text = c < keyColumns ? row[c] : Readable.Cell(row[c]);
                var align = c >= keyColumns && IsNumeric(row[c]) ? " style=\"text-align: right\"" : "";
                html.Append('<').Append(tag).Append(align).Append('>').Append(WebUtility.HtmlEncode(text)).Append("</").Append(tag).Append('>');
            }
            html.Append("</tr>");
        }
        html.Append("</tbody><caption style=\"caption-side: bottom; text-align: left\">").Append(WebUtility.HtmlEncode(caption))
            .Append("</caption></table></div>");
        return html.ToString();
    }

    static bool IsNumeric(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
