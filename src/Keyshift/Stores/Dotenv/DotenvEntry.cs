namespace Keyshift.Stores.Dotenv;

/// <summary>
/// One <c>KEY=value</c> assignment in a dotenv file, with where it sits, so a rewrite can touch only its
/// bytes and the scanner and planner can point at <c>file:line</c>. Offsets are byte offsets in the file.
/// </summary>
/// <param name="Key">The variable name.</param>
/// <param name="Line">1-based line of the key.</param>
/// <param name="EndLine">1-based line where the value ends (a double-quoted value may span lines).</param>
/// <param name="LineStart">Offset of the first byte of the key's line.</param>
/// <param name="ValueStart">Offset of the value as written (its opening quote, if quoted).</param>
/// <param name="ValueEnd">Offset just past the value as written (past its closing quote, if quoted).</param>
/// <param name="ContentEnd">Offset of the end of the last line, before its line break.</param>
/// <param name="SpanEnd">Offset just past the last line's line break: the entry's lines are [LineStart, SpanEnd).</param>
/// <param name="HasExport">Whether the line starts with <c>export </c>.</param>
/// <param name="Quote">The quote the value is written in: <c>'</c>, <c>"</c> or 0 when unquoted.</param>
internal sealed record DotenvEntry(
    string Key,
    int Line,
    int EndLine,
    int LineStart,
    int ValueStart,
    int ValueEnd,
    int ContentEnd,
    int SpanEnd,
    bool HasExport,
    byte Quote);
