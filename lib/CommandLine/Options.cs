// The options of one command: `--name value`, `--name=value`, flags (`--name`, declared when parsing), positional
// arguments, and `--` before positional arguments that start with a dash. Strict by construction:
//   - an option without its value, a value-less option given a value it cannot take, an option given twice, a
//     single-dash word, are UsageExceptions at Parse;
//   - numbers are read with Values (whole text, invariant culture, finite, within the bounds the caller states);
//   - every option the command reads (Get, Double, Long, Flag...) or declares (Allow) is known; RejectUnknown, called
//     before the command does anything, turns any other into "unknown option --x for <command> (did you mean --y?)".
// So a command's options are declared where they are read, and a method's options parsed in a file of their own are
// known as soon as that file has read them.
namespace StrictCli;

public sealed class Options
{
    readonly Dictionary<string, string> named = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> flags;
    readonly HashSet<string> known = new(StringComparer.OrdinalIgnoreCase);
    readonly List<string> order = [];

    Options(IEnumerable<string> flags) => this.flags = new HashSet<string>(flags, StringComparer.OrdinalIgnoreCase);

    /// <summary>Positional arguments, in order.</summary>
    public List<string> Positional { get; } = [];

    /// <summary>Names given on the command line (without "--"), in order.</summary>
    public IReadOnlyList<string> Given => order;

    /// <param name="args">The command's arguments (after the command word).</param>
    /// <param name="flags">Options that take no value (e.g. "keep-checkpoints"); every other option takes one.</param>
    public static Options Parse(IReadOnlyList<string> args, params IEnumerable<string> flags)
    {
        var o = new Options(flags);
        bool positionalOnly = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (positionalOnly || a == "-" || !a.StartsWith('-') || IsNumber(a)) { o.Positional.Add(a); continue; }
            if (a == "--") { positionalOnly = true; continue; }
            if (!a.StartsWith("--") || a.Length == 2) throw new UsageException($"unknown option '{a}' (options are spelled --name)");
            string name = a[2..], value;
            int eq = name.IndexOf('=');
            if (eq == 0) throw new UsageException($"'{a}' names no option");
            if (eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
                if (o.flags.Contains(name)) value = Values.Bool($"--{name}", value) ? "true" : "false";
            }
            else if (o.flags.Contains(name)) value = "true";
            else if (i + 1 >= args.Count || IsOption(args[i + 1])) throw new UsageException($"--{name} needs a value");
            else value = args[++i];
            if (!o.named.TryAdd(name, value)) throw new UsageException($"--{name} is given twice");
            o.order.Add(name);
        }
        return o;
    }

    static bool IsNumber(string a) => double.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>A word that is an option, not a value: "--x" (but not "--" alone, nor a negative number).</summary>
    static bool IsOption(string a) => a.StartsWith("--") && a.Length > 2;

    /// <summary>Declares options the command accepts without reading them here.</summary>
    public Options Allow(params string[] names)
    {
        foreach (var n in names) known.Add(n);
        return this;
    }

    /// <summary>The value of --<paramref name="name"/>, or null when it is not given.</summary>
    public string? Get(string name)
    {
        known.Add(name);
        return named.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>The value of --<paramref name="name"/>; a UsageException (with <paramref name="hint"/>) when it is not given.</summary>
    public string Required(string name, string? hint = null) =>
        Get(name) is { Length: > 0 } v ? v : throw new UsageException($"--{name} is required{(hint is null ? "" : $" ({hint})")}");

    /// <summary>Whether the flag --<paramref name="name"/> is set (it must be one of the flags given to Parse).</summary>
    public bool Flag(string name)
    {
        if (!flags.Contains(name)) throw new InvalidOperationException($"--{name} was not declared as a flag when parsing");
        return Get(name) == "true";
    }

    public double? Double(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false, bool maxExclusive = false) =>
        Get(name) is string v ? Values.Double($"--{name}", v, min, max, minExclusive, maxExclusive) : null;

    public long? Long(string name, long min = long.MinValue, long max = long.MaxValue) =>
        Get(name) is string v ? Values.Long($"--{name}", v, min, max) : null;

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue) =>
        Get(name) is string v ? Values.Int($"--{name}", v, min, max) : null;

    public bool? Bool(string name) => Get(name) is string v ? Values.Bool($"--{name}", v) : null;

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), as spelled there; null when not given.</summary>
    public string? Choice(string name, params string[] allowed) => Get(name) is string v ? Values.Choice($"--{name}", v, allowed) : null;

    /// <summary>A comma-separated list of numbers, each within the bounds; null when not given.</summary>
    public IReadOnlyList<double>? Doubles(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false)
    {
        if (Get(name) is not string v) return null;
        var parts = v.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw new UsageException($"--{name} takes numbers separated by commas, not '{v}'");
        return parts.Select(p => Values.Double($"--{name}", p, min, max, minExclusive)).ToList();
    }

    /// <summary>At most <paramref name="count"/> positional arguments (<paramref name="what"/> says what they are).</summary>
    public Options AtMostPositional(int count, string command, string what)
    {
        if (Positional.Count > count)
            throw new UsageException(count == 0 ? $"{command} takes no {what}, not '{Positional[0]}'"
                : $"{command} takes at most {count} {what}; '{Positional[count]}' is one too many");
        return this;
    }

    /// <summary>A UsageException for the first option given that the command neither read nor declared.</summary>
    public void RejectUnknown(string command)
    {
        foreach (var name in order)
            if (!known.Contains(name))
                throw new UsageException($"unknown option --{name} for {command}{Values.Suggestion(name, known.Select(k => k))}"
                    .Replace("(did you mean ", "(did you mean --"));
    }
}
