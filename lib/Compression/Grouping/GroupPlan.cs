// How every parameter of a network is stored: in exactly one coded group, or as float32 (counted in the file like
// everything else). Checked against the architecture when made: a parameter in no group or in two is an error
// that names it.
using Compression.Models;

namespace Compression.Grouping;

public sealed class GroupPlan
{
    public GroupPlan(Architecture architecture, IReadOnlyList<GroupSpec> groups, IReadOnlyList<string> float32)
    {
        Architecture = architecture;
        Groups = groups;
        Float32 = float32;
        var names = groups.SelectMany(g => g.Members).Concat(float32).ToList();
        var unknown = names.Where(n => !architecture.HasParameter(n)).Distinct().ToList();
        if (unknown.Count > 0) throw new ArgumentException($"{architecture.DisplayName} has no parameter {string.Join(", ", unknown)}");
        var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"parameters placed twice (in two groups, or in a group and as float32): {string.Join(", ", repeated)}");
        var missing = architecture.Parameters.Select(p => p.Name).Except(names).ToList();
        if (missing.Count > 0) throw new ArgumentException($"parameters in no group and not stored as float32: {string.Join(", ", missing)}");
        var groupNames = groups.Select(g => g.Name).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (groupNames.Count > 0) throw new ArgumentException($"two groups named {string.Join(", ", groupNames)}");
        foreach (var g in groups)
        {
            if (g.Members.Count == 0) throw new ArgumentException($"group '{g.Name}' is empty");
            foreach (var m in g.Members)
                if (architecture.Parameters[architecture.IndexOf(m)].Count % g.Columns != 0)
                    throw new ArgumentException($"group '{g.Name}': {m} does not split into rows of l = {g.Columns}");
        }
    }

    public Architecture Architecture { get; }

    public IReadOnlyList<GroupSpec> Groups { get; }

    /// <summary>Parameters stored as float32 rather than coded.</summary>
    public IReadOnlyList<string> Float32 { get; }

    /// <summary>The group holding a parameter, or null when it is stored as float32.</summary>
    public GroupSpec? GroupOf(string parameter) => Groups.FirstOrDefault(g => g.Members.Contains(parameter));

    public override string ToString() =>
        string.Join(Environment.NewLine, Groups.Select(g => g.ToString()).Append(Float32.Count > 0 ? $"float32: {string.Join(", ", Float32)}" : "float32: none"));
}
