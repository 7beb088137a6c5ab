namespace Keyshift.Scanning.Rules;

/// <summary>A cheap check on the characters where an assignment's value starts, in a file of <paramref name="kind"/>.</summary>
internal delegate bool ValueStartFilter(ReadOnlySpan<char> value, FileKinds kind);
