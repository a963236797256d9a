// One line of a size breakdown: bytes of the file attributed to a part (see SizePart) of a group or side
// tensor ("" for file-wide parts).
namespace Compression.Format;

public sealed record SizeRow(string Part, string Group, long Bytes);
