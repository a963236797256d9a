// The side tensors of a compressed model (float32 tensors stored as they are) against the architecture a decoder
// builds, in one place for every method: each names a parameter or a state tensor of the architecture, with its kind
// and shape, none is stored twice (nor also in a coded group), and nothing the network needs is missing. A mismatch is
// a CorruptModelFileException at the side tensor's offset in the file, raised before any work that grows with the file.
using Compression.Format;
using Compression.Models;

namespace Compression.Methods;

public static class SideTensorCheck
{
    /// <summary>
    /// Checks <paramref name="model"/>'s side tensors against <paramref name="architecture"/>, adds their names to
    /// <paramref name="claimed"/> (the names the coded groups already hold), then requires every tensor the network needs
    /// to be claimed. With <paramref name="stateOnly"/>, only state tensors may be side tensors and only the state is
    /// required (a method that codes every parameter in a form of its own).
    /// </summary>
    public static void Check(CompressedModel model, Architecture architecture, ISet<string> claimed, bool stateOnly = false)
    {
        foreach (var side in model.SideTensors)
        {
            string field = $"side tensor '{side.Name}'";
            CorruptModelFileException Bad(string problem) => new(problem, side.FileOffset, field);
            bool isState = architecture.HasState(side.Name);
            if (stateOnly && (!isState || side.Kind != SideTensorKind.State)) throw Bad($"{architecture.Id} has no state tensor '{side.Name}' (this method stores only state beside its code)");
            var expected = architecture.HasParameter(side.Name) ? architecture.Parameters[architecture.IndexOf(side.Name)].Shape
                : isState ? architecture.State[architecture.StateIndexOf(side.Name)].Shape
                : throw Bad($"{architecture.Id} has no parameter or state '{side.Name}'");
            if ((side.Kind == SideTensorKind.State) != isState)
                throw Bad($"stored as {side.Kind}, but it is {(isState ? "state" : "a parameter")} of {architecture.Id}");
            if (!side.Shape.Select(d => (long)d).SequenceEqual(expected))
                throw Bad($"stored shape [{string.Join(", ", side.Shape)}], {architecture.Id} has [{string.Join(", ", expected)}]");
            if (!claimed.Add(side.Name)) throw Bad($"{side.Name} is stored twice");
        }
        RequireComplete(architecture, claimed, stateOnly);
    }

    static void RequireComplete(Architecture architecture, ISet<string> claimed, bool stateOnly = false)
    {
        var needed = (stateOnly ? [] : architecture.Parameters.Select(p => p.Name)).Concat(architecture.State.Select(s => s.Name));
        var missing = needed.Where(n => !claimed.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new CorruptModelFileException($"{string.Join(", ", missing)} missing from the file", -1, stateOnly ? "side tensors" : "groups and side tensors");
    }
}
