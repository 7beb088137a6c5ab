namespace Keyshift.Issuers.Redis;

/// <summary>
/// The rules of an ACL user as <c>ACL GETUSER</c> reports them (Redis 7: flags, commands, keys, channels, selectors),
/// turned back into <c>ACL SETUSER</c> arguments for another user. Every rule is its own bulk argument, so nothing
/// read here is ever parsed as part of another rule; passwords and the on/off state are not carried over.
/// </summary>
internal sealed record AclRules(bool Enabled, IReadOnlyList<string> Rules)
{
    // Flags that are rules of their own; on/off and nopass belong to the credential, not to what the user may do.
    private static readonly HashSet<string> CarriedFlags = new(StringComparer.Ordinal) { "skip-sanitize-payload", "sanitize-payload" };

    /// <summary>Reads a GETUSER reply; null when the user does not exist.</summary>
    public static AclRules? From(RespValue reply)
    {
        if (reply.Items is not { } items)
            return null;
        var fields = new Dictionary<string, RespValue>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Count; i += 2)
            fields[items[i].Text ?? ""] = items[i + 1];
        var flags = fields.GetValueOrDefault("flags")?.Items?.Select(f => f.Text ?? "").ToList() ?? [];
        var rules = new List<string>();
        rules.AddRange(flags.Where(CarriedFlags.Contains));
        rules.AddRange(Tokens(fields.GetValueOrDefault("commands"), ""));
        rules.AddRange(Tokens(fields.GetValueOrDefault("keys"), "~"));
        rules.AddRange(Tokens(fields.GetValueOrDefault("channels"), "&"));
        foreach (var selector in fields.GetValueOrDefault("selectors")?.Items ?? [])
        {
            var parts = new Dictionary<string, RespValue>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < (selector.Items?.Count ?? 0); i += 2)
                parts[selector.Items![i].Text ?? ""] = selector.Items[i + 1];
            var inner = Tokens(parts.GetValueOrDefault("commands"), "").Concat(Tokens(parts.GetValueOrDefault("keys"), "~")).Concat(Tokens(parts.GetValueOrDefault("channels"), "&"));
            // A selector is one argument in parentheses: Redis itself splits it into rules.
            rules.Add("(" + string.Join(' ', inner) + ")");
        }
        return new AclRules(flags.Contains("on"), rules);
    }

    // Redis 7 reports commands, keys and channels as one space-separated string each; Redis 6.2 as a list of bare patterns.
    private static IEnumerable<string> Tokens(RespValue? value, string listPrefix)
    {
        if (value is null)
            return [];
        if (value.Items is { } list)
            return list.Select(p => listPrefix + p.Text);
        return (value.Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
