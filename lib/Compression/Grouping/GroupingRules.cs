// Parameter groups by rules instead of per-model tables. Rules are tried in order and the first that takes a
// parameter places it, after name patterns (Match), which override them all:
//     new GroupingRules()
//         .Kernels(3, TransformKind.Dft, "conv3x3")     // all 3x3 kernels: one group, l = 9, DFT decoder
//         .Convolutions("conv")                          // the other convolutions: one group, l = 1
//         .Classifier("classifier")                      // the last dense weight
//         .EachDense()                                   // every other dense weight its own group
//         .Biases("biases")  or  .BiasesAsFloat32()      // biases and normalisation shifts
//         .Match("fc1.*", "hidden")                      // a name pattern (* and ?) overrides the rules
// Every parameter must end in exactly one group or float32; For() checks it with an error that names the rest.
// The papers' groupings are rules too: see EPR section 3 (MNIST: Convolutions, Dense, Classifier, Biases; CIFAR:
// Kernels + EachDense + biases as float32; ImageNet: Kernels(3) + EachRemaining).
using System.Text.RegularExpressions;
using Compression.Models;

namespace Compression.Grouping;

public sealed class GroupingRules
{
    /// <summary>Where a rule sends a parameter: a group (name + decoder) or float32.</summary>
    sealed record Target(string? Group, DecoderFamily Decoder = DecoderFamily.ScalarAffine, TransformKind Transform = TransformKind.Identity,
        int Columns = 1, int Seed = 0)
    {
        public bool Float32 => Group is null;
    }

    sealed record Rule(string Description, Func<ParameterSpec, Architecture, Target?> Place);

    readonly List<Rule> overrides = [];
    readonly List<Rule> rules = [];

    /// <summary>Parameters whose name matches <paramref name="pattern"/> (* any run, ? one character) go to group <paramref name="group"/> (scalar decoder).</summary>
    public GroupingRules Match(string pattern, string group) => Add(overrides, $"match {pattern} -> {group}",
        (p, _) => Glob(pattern).IsMatch(p.Name) ? new Target(group) : null);

    /// <summary>Parameters matching <paramref name="pattern"/> are stored as float32.</summary>
    public GroupingRules MatchAsFloat32(string pattern) => Add(overrides, $"match {pattern} -> float32",
        (p, _) => Glob(pattern).IsMatch(p.Name) ? new Target(null) : null);

    /// <summary>
    /// Every convolution weight with k x k kernels (k = <paramref name="side"/>) in one group with l = k*k and a
    /// transform decoder (Identity is EPR's "SQ"; <paramref name="seed"/> picks the random orthogonal matrix).
    /// </summary>
    public GroupingRules Kernels(int side, TransformKind transform, string group, int seed = 1)
    {
        if (side < 1) throw new ArgumentOutOfRangeException(nameof(side));
        return Add(rules, $"{side}x{side} kernels -> {group} ({transform})",
            (p, _) => p.Kind == LayerKind.Convolution && p.KernelSide == side
                ? side == 1 ? new Target(group) : new Target(group, DecoderFamily.TransformAffine, transform, side * side, seed) : null);
    }

    /// <summary>Every (remaining) convolution weight in one group, l = 1.</summary>
    public GroupingRules Convolutions(string group) => Add(rules, $"convolution weights -> {group}",
        (p, _) => p.Kind == LayerKind.Convolution && p.Role == ParameterRole.Weight ? new Target(group) : null);

    /// <summary>The classifier: the last dense weight of the architecture, in its own group.</summary>
    public GroupingRules Classifier(string group) => Add(rules, $"classifier -> {group}",
        (p, a) => p.Role == ParameterRole.Weight && p.Kind == LayerKind.Dense && a.Parameters.Last(q => q.Role == ParameterRole.Weight && q.Kind == LayerKind.Dense) == p
            ? new Target(group) : null);

    /// <summary>Every (remaining) dense weight in one group.</summary>
    public GroupingRules Dense(string group) => Add(rules, $"dense weights -> {group}",
        (p, _) => p.Kind == LayerKind.Dense && p.Role == ParameterRole.Weight ? new Target(group) : null);

    /// <summary>Every (remaining) dense weight in a group of its own, named after its layer.</summary>
    public GroupingRules EachDense() => Add(rules, "each dense weight -> its layer",
        (p, _) => p.Kind == LayerKind.Dense && p.Role == ParameterRole.Weight ? new Target(p.Layer) : null);

    /// <summary>Every remaining weight (any kind) in a group of its own, named after its layer.</summary>
    public GroupingRules EachRemaining() => Add(rules, "each remaining weight -> its layer",
        (p, _) => p.Role == ParameterRole.Weight ? new Target(p.Layer) : null);

    /// <summary>Biases and normalisation shifts (the papers' "biases") in one group, l = 1.</summary>
    public GroupingRules Biases(string group) => Add(rules, $"biases -> {group}", (p, _) => p.IsBiasLike ? new Target(group) : null);

    /// <summary>Biases and normalisation shifts stored as float32 and counted (EPR's CIFAR and ImageNet models).</summary>
    public GroupingRules BiasesAsFloat32() => Add(rules, "biases -> float32", (p, _) => p.IsBiasLike ? new Target(null) : null);

    /// <summary>Normalisation scales (gamma) stored as float32 (for imported networks that have them; EPR fixes gamma to 1).</summary>
    public GroupingRules NormScalesAsFloat32() => Add(rules, "normalisation scales -> float32",
        (p, _) => p.Role == ParameterRole.NormScale ? new Target(null) : null);

    /// <summary>The plan for an architecture: every parameter placed by the first matching override or rule.</summary>
    public GroupPlan For(Architecture architecture)
    {
        var groups = new List<(string Name, Target Target, List<string> Members)>();
        var float32 = new List<string>();
        var unplaced = new List<string>();
        foreach (var p in architecture.Parameters)
        {
            var target = overrides.Concat(rules).Select(r => r.Place(p, architecture)).FirstOrDefault(t => t != null);
            if (target is null) { unplaced.Add(p.ToString()); continue; }
            if (target.Float32) { float32.Add(p.Name); continue; }
            var existing = groups.FindIndex(g => g.Name == target.Group);
            if (existing < 0) groups.Add((target.Group!, target, [p.Name]));
            else if (groups[existing].Target != target)
                throw new ArgumentException($"group '{target.Group}' is given two decoders ({groups[existing].Target.Decoder}/{groups[existing].Target.Transform}/l={groups[existing].Target.Columns} " +
                                            $"and {target.Decoder}/{target.Transform}/l={target.Columns}) by {p.Name}");
            else groups[existing].Members.Add(p.Name);
        }
        if (unplaced.Count > 0)
            throw new ArgumentException($"no grouping rule places {string.Join(", ", unplaced)} (rules: {Describe()}); add a rule, e.g. .EachRemaining() or .Biases(\"biases\")");
        // Groups in the order their first member appears, groups holding weights before those of biases only.
        var specs = groups
            .OrderBy(g => g.Members.All(m => architecture.Parameters[architecture.IndexOf(m)].Role != ParameterRole.Weight) ? 1 : 0)
            .ThenBy(g => architecture.IndexOf(g.Members[0]))
            .Select(g => new GroupSpec(g.Name, g.Members, g.Target.Decoder, g.Target.Transform, g.Target.Columns, g.Target.Seed)).ToList();
        return new GroupPlan(architecture, specs, float32);
    }

    public string Describe() => string.Join("; ", overrides.Concat(rules).Select(r => r.Description));

    public override string ToString() => Describe();

    GroupingRules Add(List<Rule> list, string description, Func<ParameterSpec, Architecture, Target?> place)
    {
        list.Add(new Rule(description, place));
        return this;
    }

    static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);

    /// <summary>
    /// EPR's MNIST groups (section 3.1), l = 1 everywhere: convolutions (if any) one group, the classifier one, the other
    /// dense weights one, all biases one. LeNet300-100: hidden, classifier, biases; LeNet5-Caffe: conv, hidden, classifier, biases.
    /// </summary>
    public static GroupingRules EprMnist() => new GroupingRules().Convolutions("conv").Classifier("classifier").Dense("hidden").Biases("biases");

    /// <summary>
    /// EPR's groups with convolution kernels as k x k vectors through a transform (Figure 4's SQ / DFT / random
    /// orthogonal), the rest as <see cref="EprMnist"/>.
    /// </summary>
    public static GroupingRules EprMnistWithKernels(int side, TransformKind transform, int seed = 1) =>
        new GroupingRules().Kernels(side, transform, "conv", seed).Convolutions("conv1x1").Classifier("classifier").Dense("hidden").Biases("biases");

    /// <summary>A default for networks the package has never seen: 3x3 kernels DFT-coded in one group, other convolutions one group, each dense weight its own group, biases one group.</summary>
    public static GroupingRules Default() =>
        new GroupingRules().Kernels(3, TransformKind.Dft, "conv3x3").Convolutions("conv").EachDense().Biases("biases").NormScalesAsFloat32();
}
