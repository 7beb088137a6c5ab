using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

/// <summary>A rule's extra check on a match in <paramref name="window"/> (the line the match was found in).</summary>
internal delegate bool MatchFilter(Match match, string window, FileKinds kind);
