using Keyshift.Configuration;
using Keyshift.Scanning;

namespace Keyshift.Inventory;

/// <summary>The inventory's risk checks, each mapped to an OWASP NHI Top 10 (2025) id.</summary>
internal static class InventoryChecks
{
    public static IReadOnlyList<InventoryFinding> Run(PolicyConfig policy, IReadOnlyList<InventorySecret> secrets, IReadOnlyList<Finding> hardcoded, DateTimeOffset now)
    {
        var findings = new List<InventoryFinding>();
        Reuse(secrets, findings);
        foreach (var secret in secrets)
        {
            var address = secret.Address.ToString();
            if (policy.MaxAge is { } maxAge && secret.Since is { } since && now - since > maxAge)
            {
                var source = secret.AgeSource == AgeSource.Staged ? "staged by Keyshift" : "store file last modified";
                findings.Add(new InventoryFinding(NhiRisk.LongLivedSecrets, "long-lived", address,
                    $"{address} is {Age.Format(now - since)} old ({source} {since:yyyy-MM-dd}), older than policy.maxAge {DurationText(maxAge)}; rotate it"));
            }
            if (policy.RequireOwner && string.IsNullOrWhiteSpace(secret.Owner))
                findings.Add(new InventoryFinding(NhiRisk.ImproperOffboarding, "no-owner", address,
                    $"{address} has no owner (no move or consumer names one) but policy.requireOwner asks for one"));
        }
        HardcodedCopies(secrets, hardcoded, findings);
        findings.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Risk, b.Risk);
            if (c == 0)
                c = string.CompareOrdinal(a.Kind, b.Kind);
            return c != 0 ? c : string.CompareOrdinal(a.Subject, b.Subject);
        });
        return findings;
    }

    /// <summary>
    /// The same value at several addresses. A move's source and target holding the same value is the
    /// migration at work (storage replacement), so addresses count by the move they belong to.
    /// </summary>
    private static void Reuse(IReadOnlyList<InventorySecret> secrets, List<InventoryFinding> findings)
    {
        foreach (var group in secrets.Where(s => !s.IsEmpty).GroupBy(s => s.Fingerprint.Hex, StringComparer.Ordinal))
        {
            var members = group.ToList();
            if (members.Count < 2)
                continue;
            var identities = members.Select(s => s.MoveId ?? s.Address.ToString()).Distinct(StringComparer.Ordinal).Count();
            if (identities < 2)
                continue;
            var addresses = string.Join(", ", members.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal));
            var subject = members.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal).First();
            var stores = members.Select(s => s.Address.Store).Distinct(StringComparer.Ordinal).Count();
            findings.Add(new InventoryFinding(NhiRisk.Reuse, "reuse", subject,
                $"one value (fingerprint {members[0].Fingerprint.Short}) is held at {members.Count} addresses in {stores} store(s): {addresses}; give each identity its own credential"));
            var environments = members.SelectMany(s => s.Environments).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (environments.Count > 1)
                findings.Add(new InventoryFinding(NhiRisk.EnvironmentIsolation, "shared-across-environments", subject,
                    $"one value (fingerprint {members[0].Fingerprint.Short}) is used in environments {string.Join(", ", environments)}: {addresses}; issue one credential per environment"));
        }
    }

    private static void HardcodedCopies(IReadOnlyList<InventorySecret> secrets, IReadOnlyList<Finding> hardcoded, List<InventoryFinding> findings)
    {
        var byFingerprint = secrets.ToLookup(s => s.Fingerprint.Hex, StringComparer.Ordinal);
        foreach (var finding in hardcoded)
        {
            var where = finding.Location.ToString();
            var stored = finding.Fingerprint is { } fingerprint ? byFingerprint[fingerprint.Hex].Select(s => s.Address.ToString()).Order(StringComparer.Ordinal).ToList() : [];
            findings.Add(stored.Count > 0
                ? new InventoryFinding(NhiRisk.SecretLeakage, "hardcoded-copy", where,
                    $"{where} holds a hardcoded copy of {string.Join(", ", stored)} ({finding.RuleId}, {finding.Masked}); reference the store instead")
                : new InventoryFinding(NhiRisk.SecretLeakage, "hardcoded-secret", where,
                    $"{where} holds a hardcoded secret in no configured store ({finding.RuleId}, {finding.Masked}, fingerprint {finding.Fingerprint?.Short}); move it into a store"));
        }
    }

    private static string DurationText(TimeSpan span) => span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d" : Age.Format(span);
}
