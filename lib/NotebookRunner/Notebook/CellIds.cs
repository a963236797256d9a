// nbformat 4.5 cell ids: kept when valid and unique, otherwise replaced by 8 random hex characters (as VS Code does).
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace NotebookRunner.Notebook;

public static partial class CellIds
{
    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ValidPattern();

    public static bool IsValid(string? id) => id is not null && ValidPattern().IsMatch(id);

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Gives every cell a valid id that no other cell has; returns how many ids were assigned.</summary>
    public static int Ensure(IEnumerable<NotebookCell> cells)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int assigned = 0;
        foreach (var cell in cells)
        {
            var id = cell.Id;
            if (!IsValid(id) || !seen.Add(id!))
            {
                do id = New(); while (!seen.Add(id));
                cell.Id = id;
                assigned++;
            }
        }
        return assigned;
    }
}
