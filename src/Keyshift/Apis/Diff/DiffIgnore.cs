using System.Text.RegularExpressions;
using Keyshift.Configuration;

namespace Keyshift.Apis.Diff;

/// <summary>An accepted change: a check, optionally limited to operations matching a pattern (<c>*</c> = anything), with the reason.</summary>
internal sealed record DiffIgnore(ApiCheck Check, string? Operation, string Reason, SourceLocation Location)
{
    public bool Matches(ApiChange change)
    {
        if (change.Check != Check)
            return false;
        if (Operation is null)
            return true;
        var pattern = "^" + Regex.Escape(Operation.Trim()).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return change.Operations.Any(o => Regex.IsMatch(o, pattern, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)));
    }
}
