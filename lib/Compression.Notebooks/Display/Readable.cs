// Numbers as a reader wants them in tables and plain text: at most four significant digits after rounding
// (1.7999999999999998 -> 1.8, 0.012345678 -> 0.01235), integers as they are, very large or small values in
// exponent form, and NaN (Deedle's missing value) as an empty cell.
using System.Globalization;

namespace Compression.Notebooks.Display;

public static class Readable
{
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "-∞";
        double magnitude = Math.Abs(value);
        if (magnitude == 0) return "0";
        if (value == Math.Round(value) && magnitude < 1e15) return value.ToString("0", CultureInfo.InvariantCulture);
        if (magnitude >= 1e6 || magnitude < 1e-4) return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, 3 - (int)Math.Floor(Math.Log10(magnitude)));
        return Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary>A table cell as Deedle formats it, re-read: numbers rounded for reading, "&lt;missing&gt;" empty.</summary>
    public static string Cell(string text)
    {
        if (text == "<missing>") return "";
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !IsIdentifierLike(text)
            ? Number(number)
            : text;
    }

    // "1e3"-like strings are numbers, but so would be a group called "Infinity" or "NaN": keep those as written.
    static bool IsIdentifierLike(string text) => text.Any(char.IsLetter) && !text.Contains('E', StringComparison.OrdinalIgnoreCase);
}
