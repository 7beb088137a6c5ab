namespace Keyshift.Scanning;

/// <summary>An input the scan skipped, or read only in part, and why (binary, too large, unreadable, invalid UTF-8…).</summary>
internal sealed record InputNote(string Path, string Reason, bool Skipped = true);
