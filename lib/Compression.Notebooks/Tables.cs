// Rows of records as a Deedle frame, which the notebooks display as an HTML table (one column per property).
using Deedle;

namespace Compression.Notebooks;

public static class Tables
{
    public static Frame<int, string> Of<T>(IEnumerable<T> rows) => Frame.FromRecords(rows.ToList());
}
