using Keyshift.Apis.Integrations;
using Keyshift.Audit;
using Keyshift.Issuers;
using Keyshift.Planning;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Execution;

/// <summary>
/// Integration moves: the retirement of a consumer's legacy API key once it calls the new API with its new
/// credential. Stage and verify write nothing (the new credential is already in place; Keyshift records its
/// fingerprint); retire is gated on the gateway's usage ledger, revokes the key (http issuer and/or deletion from
/// the store the legacy API reads) and probes the legacy API directly, which must refuse the key.
/// </summary>
public sealed partial class Executor
{
    private async Task StageIntegrationsAsync(List<PlannedMove> toStage, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        if (toStage.Count == 0)
            return;
        var records = Load(toStage.Select(p => p.Id));
        var sources = await migration.ReadAsync(toStage.Select(p => p.Move.Source), cancellationToken);
        var targets = await migration.ReadAsync(toStage.Select(p => p.Move.Target), cancellationToken);
        var staged = new List<MoveRecord>();
        foreach (var planned in toStage)
        {
            if (!sources.TryGetValue(planned.Move.Source, out var key) || !targets.TryGetValue(planned.Move.Target, out var credential))
            {
                failures[planned.Id] = $"stage: {(sources.ContainsKey(planned.Move.Source) ? $"new credential {planned.Move.Target}" : $"legacy key {planned.Move.Source}")} disappeared";
                continue;
            }
            var record = records.GetValueOrDefault(planned.Id) ?? NewRecord(planned.Move);
            if (record.State == MoveState.RolledBack)
                Reset(record);
            // Nothing is written: the target is the consumer's new credential, and it must never be deleted by rollback.
            record.TargetBefore = TargetBefore.Equal;
            record.SourceFingerprint = migration.Fingerprint(key);
            record.WrittenFingerprint = migration.Fingerprint(credential);
            record.State = MoveState.Staged;
            record.PendingStep = record.FailedStep = record.FailedReason = null;
            record.StagedAt = record.UpdatedAt = Now;
            RecordPolicy(record, planned.Move);
            staged.Add(record);
        }
        migration.Commit("stage", "ok", staged, r => Migration.Evidence(r).WithText("integration", Describe(toStage.First(p => p.Id == r.Id).Move)));
    }

    private async Task VerifyIntegrationsAsync(Dictionary<string, Move> moves, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var pending = Select(ids, r => r.State == MoveState.Staged && moves.TryGetValue(r.Id, out var m) && m.IsIntegration);
        if (pending.Count == 0)
            return;
        var records = Load(pending);
        var sources = await migration.ReadAsync(pending.Select(id => moves[id].Source), cancellationToken);
        var targets = await migration.ReadAsync(pending.Select(id => moves[id].Target), cancellationToken);
        foreach (var record in records.Values)
        {
            var move = moves[record.Id];
            var target = targets.TryGetValue(move.Target, out var t) ? migration.Fingerprint(t) : null;
            string? problem = target is null ? $"verify: the new credential {move.Target} is empty"
                : target != record.WrittenFingerprint ? $"verify: the new credential {move.Target} changed since it was staged; re-run apply"
                : !sources.ContainsKey(move.Source) ? $"verify: the legacy key {move.Source} is gone before retirement"
                : null;
            record.UpdatedAt = Now;
            if (problem is null)
            {
                record.State = MoveState.Verified;
                record.VerifiedAt = Now;
                continue;
            }
            record.State = MoveState.Failed;
            record.FailedStep = "verify";
            record.FailedReason = failures[record.Id] = problem;
        }
        migration.Commit("verify", "ok", records.Values);
    }

    private async Task RetireIntegrationsAsync(Dictionary<string, Move> moves, HashSet<string> ids, Dictionary<string, IReadOnlyList<Gate>> held,
        Dictionary<string, string> failures, Dictionary<string, int> approvals, CancellationToken cancellationToken)
    {
        var candidates = Select(ids, r => (r.State == MoveState.DualRun || r.PendingStep == "retire") && moves.TryGetValue(r.Id, out var m) && m.IsIntegration);
        if (candidates.Count == 0)
            return;
        var integrations = IntegrationReader.Read(migration.Config).Integrations.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var at = Now;
        var records = Load(candidates);
        var sources = await migration.ReadAsync(candidates.Select(id => moves[id].Source), cancellationToken);
        var targets = await migration.ReadAsync(candidates.Select(id => moves[id].Target), cancellationToken);
        var retiring = new List<MoveRecord>();
        var evidence = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
        foreach (var record in records.Values)
        {
            var move = moves[record.Id];
            if (record.PendingStep == "retire")
            {
                retiring.Add(record);
                continue;
            }
            var holds = targets.TryGetValue(move.Target, out var t) && migration.Fingerprint(t) == record.WrittenFingerprint;
            var quiet = sources.TryGetValue(move.Source, out var key)
                ? UsageLedgerGate.QuietWindow(migration, move.Config.Integration!, move.Config.IntegrationConsumer!, migration.Fingerprint(key), migration.Config.Cutover.QuietWindow, at)
                : new Gate("quietWindow", false, $"the legacy key {move.Source} is gone from its store, so its use cannot be looked up in the ledger");
            var gates = Gates.ForRetire(record, migration.Config.Cutover, Now, approvals.GetValueOrDefault(record.Id), holds, quiet);
            if (gates.All(g => g.Holds))
            {
                evidence[record.Id] = gates;
                record.PendingStep = "retire";
                record.UpdatedAt = Now;
                retiring.Add(record);
            }
            else
            {
                held[record.Id] = gates.Where(g => !g.Holds).ToList();
            }
        }
        if (retiring.Count == 0)
            return;
        // The key leaves its store before the probe runs: an escrowed copy lets a re-run after a crash still probe with it.
        await EscrowAsync(retiring.Select(r => moves[r.Id].Source).Where(sources.ContainsKey).ToList(), cancellationToken);
        migration.Commit("retire", "intent", retiring, r => Migration.Evidence(r, evidence.GetValueOrDefault(r.Id) ?? []));
        var escrowed = await ReadEscrowAsync(retiring.Select(r => moves[r.Id].Source).ToList(), cancellationToken);

        var proofs = new Dictionary<string, AuditEvidence>(StringComparer.Ordinal);
        foreach (var record in retiring)
        {
            var move = moves[record.Id];
            try
            {
                var key = sources.GetValueOrDefault(move.Source) ?? escrowed.GetValueOrDefault(move.Source)
                    ?? throw new IssuerException($"retire: the legacy key {move.Source} is gone and no escrowed copy is left to probe with; nothing was revoked");
                proofs[record.Id] = await RevokeLegacyKeyAsync(move, integrations[move.Config.Integration!], key, sources.ContainsKey(move.Source), record, cancellationToken);
            }
            catch (IssuerException e)
            {
                failures[record.Id] = e.Message;
            }
        }
        foreach (var record in retiring)
        {
            record.UpdatedAt = Now;
            if (!proofs.ContainsKey(record.Id))
            {
                record.FailedStep = "retire";
                record.FailedReason = failures.GetValueOrDefault(record.Id);
                continue;
            }
            record.State = MoveState.Retired;
            record.PendingStep = record.FailedStep = record.FailedReason = null;
            record.RetiredAt = Now;
        }
        migration.Commit("retire", "ok", retiring, r => proofs.GetValueOrDefault(r.Id) ?? Migration.Evidence(r));
        await ForgetEscrowAsync(retiring.Where(r => proofs.ContainsKey(r.Id)).Select(r => moves[r.Id].Source).ToList(), cancellationToken);
    }

    /// <summary>
    /// Revokes at the issuer (if any), deletes the key from its store, then probes the legacy API directly (not through
    /// the gateway) with the old key: only a refusal (401/403) is evidence; an unreachable API is none.
    /// </summary>
    private async Task<AuditEvidence> RevokeLegacyKeyAsync(Move move, IntegrationConfig integration, SecretValue key, bool inStore, MoveRecord record, CancellationToken cancellationToken)
    {
        var found = Migration.Evidence(record).WithText("integration", Describe(move));
        if (move.Revoker is { } issuer)
        {
            await issuer.RevokeAsync(Credential.Described(issuer.Describe(move.Config.Account!, move.Config.Account!)), cancellationToken);
            found = found.WithText("revoked", $"at {issuer}");
        }
        // A resumed step may find the key already deleted (the crash came after): the escrowed copy is probed instead.
        if (inStore)
            await migration.ApplyAsync([StoreChange.Delete(move.Source)], cancellationToken);
        found = found.WithText("deleted", move.Source.ToString());
        var credential = LegacyCredential(move, integration.Legacy.Auth, key);
        var probes = new List<Probe> { LegacyProbe(integration) };
        probes.AddRange(move.Config.Checks.Select(c => c.Probe));
        var problems = new List<string>();
        foreach (var probe in probes)
        {
            var result = await probe.RunAsync(credential, cancellationToken);
            found = WithProbe(found, probe, "old", result);
            if (!result.Meets(ProbeExpectation.Refused))
                problems.Add(result.Outcome == ProbeOutcome.Unreachable
                    ? $"retire: negative probe: the legacy API could not be reached, which is no evidence that the old key is refused: {result}"
                    : $"retire: negative probe: the legacy API still accepts the old key after revocation: {result}");
        }
        if (problems.Count > 0)
            throw new IssuerException(string.Join("; ", problems), changedNothing: false);
        return found;
    }

    /// <summary>The legacy API itself, asked with the old key the way consumers send it.</summary>
    private static HttpProbe LegacyProbe(IntegrationConfig integration)
    {
        var auth = integration.Legacy.Auth;
        var scheme = auth.Type switch
        {
            EndpointAuthType.ApiKey when auth.Query is { } query => $"query:{query}",
            EndpointAuthType.ApiKey => $"header:{auth.Header ?? "X-API-Key"}",
            EndpointAuthType.Basic => "basic",
            _ => "bearer",
        };
        return new HttpProbe("legacy-api", integration.Legacy.Url, "GET", scheme, null, TimeSpan.FromSeconds(10));
    }

    private static Credential LegacyCredential(Move move, EndpointAuth auth, SecretValue key)
    {
        var descriptor = CredentialDescriptor.Of("legacy-api", move.Config.IntegrationConsumer!, move.Config.IntegrationConsumer!);
        var fields = new Dictionary<string, SecretValue>(StringComparer.Ordinal) { [Credential.Key] = key };
        if (auth.Type == EndpointAuthType.Basic)
        {
            // A basic-auth consumer's legacy key is its whole user:password pair.
            var pair = key.RevealUtf8();
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            fields[Credential.Username] = SecretValue.FromUtf8(colon < 0 ? pair : pair[..colon]);
            fields[Credential.Password] = SecretValue.FromUtf8(colon < 0 ? "" : pair[(colon + 1)..]);
            fields.Remove(Credential.Key);
        }
        return new Credential(descriptor, fields);
    }

    private static string Describe(Move move) => $"{move.Config.Integration} consumer {move.Config.IntegrationConsumer}";

    /// <summary>
    /// Rollback of an integration move before retirement: nothing was written, so only the state goes back — except
    /// after a retire cut short (the legacy API still accepted the key, or a crash), when the key may already be gone
    /// from its store: it is put back from the escrow, so the consumer's key is where the legacy API reads it again.
    /// </summary>
    private async Task RollbackIntegrationsAsync(Dictionary<string, Move> moves, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var candidates = Select(ids, r => r.State is not (MoveState.Retired or MoveState.RolledBack or MoveState.Compromised) && moves.TryGetValue(r.Id, out var m) && m.IsIntegration);
        if (candidates.Count == 0)
            return;
        var records = Load(candidates);
        var interrupted = records.Values.Where(r => r.PendingStep is "retire" or "rollback").Select(r => moves[r.Id].Source).ToList();
        var present = await migration.ReadAsync(interrupted, cancellationToken);
        var kept = await ReadEscrowAsync(interrupted.Where(s => !present.ContainsKey(s)).ToList(), cancellationToken);
        foreach (var record in records.Values)
        {
            record.PendingStep = "rollback";
            record.UpdatedAt = Now;
        }
        migration.Commit("rollback", "intent", records.Values);
        await migration.ApplyAsync(kept.Select(k => StoreChange.Set(k.Key, k.Value)), cancellationToken);
        foreach (var record in records.Values)
        {
            record.State = MoveState.RolledBack;
            record.PendingStep = null;
        }
        migration.Commit("rollback", "ok", records.Values, r => Migration.Evidence(r).WithText("integration", kept.ContainsKey(moves[r.Id].Source)
            ? $"the legacy key was put back into {moves[r.Id].Source} from the escrow{(moves[r.Id].Revoker is { } issuer ? $"; it was revoked at {issuer} and must be re-enabled there" : "")}"
            : "nothing was written; the legacy key stays valid"));
        await ForgetEscrowAsync(interrupted, cancellationToken);
    }
}
