// The text view of a size breakdown, known answer for a hand-built model: the header, one line per (part, group) row
// with its column widths (part column at least 20, group column two wider than the longest group name), the 'total'
// line, the 'without state (papers)' line exactly when state tensors are present, and the per-group rate table only
// when rates were estimated.
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class SizeBreakdownTextTests
{
    /// <summary>One coded group with a 15-character name and no decoder parameters, a parameter side tensor and optionally a state one.</summary>
    static CompressedModel Model(bool withState)
    {
        var table = CdfTable.FromPmf([1.0, 1.0], 0.1, 0);
        var group = CodedGroup.Encode("features.0.conv", 1, [("w", [8])], [0, 1, 1, 0, 1, 0, 0, 1], [table]);
        SideTensor[] sides = withState
            ? [new SideTensor("b", [2], [1f, 2f]), new SideTensor("bn.var", [1], [1f], SideTensorKind.State)]
            : [new SideTensor("b", [2], [1f, 2f])];
        return new CompressedModel { Architecture = "a", Method = "m", Groups = [group], SideTensors = sides };
    }

    static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + Environment.NewLine));

    [Fact]
    public void TextOfAModelWithStateAndRatesIsKnown()
    {
        // Version 2 (state tensor): header = magic 4, version 1, "a" 2, "m" 2, group count 1, side count 1, raw count 1.
        // Group record: name 16, columns 1, #tensors 1, "w" 2, shape 2, kind 1, #parameters 1, #bitstream 1.
        // Side record of "b": name 2, kind 1, shape 2; state record of "bn.var": name 7, kind 1, shape 2.
        // Part column 20 wide (no part name exceeds 18), group column 17 (two past "features.0.conv").
        string expected = Lines(
            "part                group                 bytes       %",
            "header                                       12   15.58",
            "group record        features.0.conv          25   32.47",
            "tables              features.0.conv           8   10.39",
            "bitstream           features.0.conv           1    1.30",
            "side record         b                         5    6.49",
            "side values         b                         8   10.39",
            "state record        bn.var                   10   12.99",
            "state values        bn.var                    4    5.19",
            "checksum                                      4    5.19",
            "total                                        77  100.00",
            "without state (papers)                       63   81.82",
            "",
            "group               symbols  bitstream B  self-info B  overhead B  bits/sym",
            "features.0.conv           8            1          1.1        -0.1    1.0000");
        var sizes = SizeBreakdown.Of(Model(withState: true));
        Assert.Equal(expected, sizes.ToText());
        Assert.Equal(expected, sizes.ToString());
    }

    [Fact]
    public void TextWithoutStateOrRatesEndsAtTheTotal()
    {
        // Version 1: no raw-payload count, no kind byte; no 'without state' line and no rate table (rates not estimated).
        string expected = Lines(
            "part                group                 bytes       %",
            "header                                       11   18.03",
            "group record        features.0.conv          25   40.98",
            "tables              features.0.conv           8   13.11",
            "bitstream           features.0.conv           1    1.64",
            "side record         b                         4    6.56",
            "side values         b                         8   13.11",
            "checksum                                      4    6.56",
            "total                                        61  100.00");
        Assert.Equal(expected, SizeBreakdown.Of(Model(withState: false), estimateSelfInformation: false).ToText());
    }

    [Fact]
    public void TextOfAnEmptyModelHasOnlyHeaderChecksumAndTotal()
    {
        // The smallest file: 9 header bytes (magic, version, two empty strings, two zero counts) and the checksum.
        // With no group or tensor names, the group column has its minimum width, 12.
        string expected = Lines(
            "part                group            bytes       %",
            "header                                   9   69.23",
            "checksum                                 4   30.77",
            "total                                   13  100.00");
        Assert.Equal(expected, SizeBreakdown.Of(new CompressedModel { Architecture = "", Method = "" }).ToText());
    }
}
