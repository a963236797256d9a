// Parameter values from the command line or environment, checked against the declared type and written as C# literals.
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookRunner.Parameters;

public static class CSharpLiteral
{
    /// <exception cref="FormatException">The text is not a value of that type.</exception>
    public static string From(string text, ParameterType type, string name)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = text.Trim();
        switch (type)
        {
            case ParameterType.String:
                return SymbolDisplay.FormatLiteral(text, quote: true);
            case ParameterType.Bool:
                if (bool.TryParse(t, out var b)) return b ? "true" : "false";
                break;
            case ParameterType.Int:
                if (int.TryParse(t, NumberStyles.Integer, inv, out var i)) return i.ToString(inv);
                break;
            case ParameterType.Long:
                if (long.TryParse(t, NumberStyles.Integer, inv, out var l)) return l.ToString(inv) + "L";
                break;
            case ParameterType.Double:
                if (double.TryParse(t, NumberStyles.Float, inv, out var d)) return Real(d, "double", "");
                break;
            case ParameterType.Float:
                if (float.TryParse(t, NumberStyles.Float, inv, out var f)) return Real(f, "float", "f");
                break;
        }
        throw new FormatException($"parameter {name} is {Keyword(type)}, but '{text}' is not a valid {Keyword(type)}");
    }

    /// <summary>The type a value given for an undeclared parameter gets: bool, int, long, double, else string.</summary>
    public static ParameterType Guess(string text)
    {
        var t = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (bool.TryParse(t, out _)) return ParameterType.Bool;
        if (int.TryParse(t, NumberStyles.Integer, inv, out _)) return ParameterType.Int;
        if (long.TryParse(t, NumberStyles.Integer, inv, out _)) return ParameterType.Long;
        if (double.TryParse(t, NumberStyles.Float, inv, out var d) && double.IsFinite(d)) return ParameterType.Double;
        return ParameterType.String;
    }

    public static string Keyword(ParameterType type) => type switch
    {
        ParameterType.Int => "int",
        ParameterType.Long => "long",
        ParameterType.Double => "double",
        ParameterType.Float => "float",
        ParameterType.Bool => "bool",
        _ => "string",
    };

    static string Real(double value, string keyword, string suffix)
    {
        if (double.IsNaN(value)) return $"{keyword}.NaN";
        if (double.IsPositiveInfinity(value)) return $"{keyword}.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return $"{keyword}.NegativeInfinity";
        var s = suffix == "f" ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
        if (suffix.Length == 0 && !s.Contains('.') && !s.Contains('E') && !s.Contains('e')) s += ".0";
        return s + suffix;
    }
}
