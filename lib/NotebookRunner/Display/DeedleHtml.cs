// Deedle frames and series as HTML tables, built from Deedle's own IFrameFormattable/ISeriesFormattable grid (what
// Deedle.DotNetInteractive, not available here, would have registered).
using System.Net;
using System.Text;
using Deedle.Internal;

namespace NotebookRunner.Display;

public static class DeedleHtml
{
    public static int MaxRows { get; set; } = 20;
    public static int MaxColumns { get; set; } = 20;

    public static string Frame(IFrameFormattable frame)
    {
        var grid = frame.InteractiveFormat(MaxRows, MaxColumns, true);
        int headerRows = frame.GetColLevels() + 1;   // column keys, then the column types row
        var (rows, cols) = frame.GetDimensions();
        return Table(grid, headerRows, frame.GetRowLevels(), $"{rows} rows × {cols} columns");
    }

    public static string Series(ISeriesFormattable series) =>
        Table(series.InteractiveFormat(MaxRows), 0, series.GetKeyLevels(), $"{series.GetKeyCount()} values");

    static string Table(string[][] grid, int headerRows, int keyColumns, string caption)
    {
        // Deedle puts a "->" column between the row keys and the values; a table does not need it.
        bool arrow = grid.Skip(headerRows).Any() &&
                     grid.Skip(headerRows).All(r => r.Length > keyColumns && r[keyColumns] is "->" or "" or "..." or ":");
        var html = new StringBuilder("<table class=\"notebook-runner-frame\">");
        for (int r = 0; r < grid.Length; r++)
        {
            bool header = r < headerRows;
            if (r == 0 && header) html.Append("<thead>");
            if (r == headerRows) html.Append("<tbody>");
            html.Append("<tr>");
            for (int c = 0; c < grid[r].Length; c++)
            {
                if (arrow && c == keyColumns) continue;
                var tag = header || c < keyColumns ? "th" : "td";
                html.Append('<').Append(tag).Append('>').Append(WebUtility.HtmlEncode(grid[r][c])).Append("</").Append(tag).Append('>');
            }
            html.Append("</tr>");
            if (header && r == headerRows - 1) html.Append("</thead>");
        }
        if (grid.Length > headerRows) html.Append("</tbody>");
        html.Append("<caption style=\"caption-side: bottom\">").Append(WebUtility.HtmlEncode(caption)).Append("</caption></table>");
        return html.ToString();
    }
}
