using System.Buffers;

namespace Keyshift.Scanning.Rules;

/// <summary>The rules that apply to one family of files, and the union of their keywords.</summary>
internal sealed record ApplicableRules(IReadOnlyList<Rule> Rules, SearchValues<string> Keywords);
