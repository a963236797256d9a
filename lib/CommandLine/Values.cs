// Parsing one option's text as a number, strictly: invariant culture, the whole text, finite, within bounds. Every
// failure is a UsageException naming the option, what it takes and what it got.
using System.Globalization;

namespace StrictCli;

public static class Values
{
    /// <summary><paramref name="text"/> as a finite number in [<paramref name="min"/>, <paramref name="max"/>] (bounds may be exclusive).</summary>
    public static double Double(string option, string text, double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool minExclusive = false, bool maxExclusive = false)
    {
        string range = Range(min, max, minExclusive, maxExclusive);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new UsageException($"{option} takes a number{range}, not '{text}'");
        bool low = minExclusive ? value <= min : value < min, high = maxExclusive ? value >= max : value > max;
        if (low || high) throw new UsageException($"{option} takes a number{range}, not {text}");
        return value;
    }

    /// <summary><paramref name="text"/> as a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Long(string option, string text, long min = long.MinValue, long max = long.MaxValue)
    {
        string range = Range(min, max);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new UsageException($"{option} takes a whole number{range}, not '{text}'");
        if (value < min || value > max) throw new UsageException($"{option} takes a whole number{range}, not {text}");
        return value;
    }

    /// <summary><paramref name="text"/> as a whole number in [<paramref name="min"/>, <paramref name="max"/>] that fits an int.</summary>
    public static int Int(string option, string text, int min = int.MinValue, int max = int.MaxValue) => (int)Long(option, text, min, max);

    /// <summary>true or false (also yes/no, 1/0).</summary>
    public static bool Bool(string option, string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new UsageException($"{option} takes true or false, not '{text}'"),
    };

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned as spelled there.</summary>
    public static string Choice(string option, string text, IReadOnlyList<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException($"{option} takes {Either(allowed)}, not '{text}'{Suggestion(text, allowed)}");

    internal static string Either(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];

    /// <summary>" (did you mean X?)" when one of <paramref name="candidates"/> is within two edits of <paramref name="word"/>.</summary>
    public static string Suggestion(string word, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: Distance(word.ToLowerInvariant(), c.ToLowerInvariant()))).Where(x => x.d <= 2).OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal).ToList();
        return best.Count > 0 ? $" (did you mean {best[0].c}?)" : "";
    }

    /// <summary>Levenshtein distance.</summary>
    internal static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    static string Range(double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        bool hasMin = !double.IsNegativeInfinity(min), hasMax = !double.IsPositiveInfinity(max);
        if (hasMin && hasMax) return $" {(minExclusive ? "above" : "from")} {Text(min)} {(maxExclusive ? "below" : "to")} {Text(max)}";
        if (hasMin) return minExclusive ? $" above {Text(min)}" : $" >= {Text(min)}";
        if (hasMax) return maxExclusive ? $" below {Text(max)}" : $" <= {Text(max)}";
        return "";
    }

    static string Range(long min, long max)
    {
        bool hasMin = min != long.MinValue && min != int.MinValue, hasMax = max != long.MaxValue && max != int.MaxValue;
        if (hasMin && hasMax) return $" from {min} to {max}";
        if (hasMin) return $" >= {min}";
        if (hasMax) return $" <= {max}";
        return "";
    }
}
