namespace Keyshift.Stores.Hardcoded;

/// <summary>A declared span found in the file's text now: its character offset and what it holds.</summary>
internal sealed record LocatedSpan(HardcodedSpan Span, int Start, SpanState State)
{
    /// <summary>How many characters the span covers now (the value, or its reference once rewritten).</summary>
    public int Length => State == SpanState.Rewritten ? Span.Reference.Length : Span.Length;
}
