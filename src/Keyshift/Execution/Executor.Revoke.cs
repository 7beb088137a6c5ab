using System.Collections.Concurrent;
using Keyshift.Audit;
using Keyshift.Issuers;
using Keyshift.Planning;
using Keyshift.Probes;
using Keyshift.State;
using Keyshift.Stores;
using Keyshift.Telemetry;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>Messages of telemetry sources that could not collect during retire's own round (their coverage is missing).</summary>
    public List<string> TelemetryProblems { get; } = [];

    /// <summary>
    /// Retires credential moves whose gates hold: the intent is recorded, the OLD credential is revoked at the issuer,
    /// and a negative probe must show the server refusing it (an unreachable server is no evidence: the step fails and
    /// stays pending, a re-run repeats it). Only then is the source entry deleted and the move Retired.
    /// </summary>
    private async Task RetireCredentialsAsync(Dictionary<string, Move> moves, HashSet<string> ids, Dictionary<string, IReadOnlyList<Gate>> held,
        Dictionary<string, string> failures, Dictionary<string, int> approvals, CancellationToken cancellationToken)
    {
        if (!moves.Values.Any(m => m.IsCredential))
            return;
        var candidates = Select(ids, r => (r.State == MoveState.DualRun || r.PendingStep == "retire") && moves.TryGetValue(r.Id, out var m) && m.IsCredential);
        if (candidates.Count == 0)
            return;
        // A round of our own first: a log read up to now covers up to now, and a sample extends the sampler's coverage.
        var at = Now;
        var sources = UsageEvidence.Sources(migration.Config, migration.Time);
        if (sources.Count > 0)
            await UsageEvidence.SampleOnceAsync(migration, sources, null, (s, e) => TelemetryProblems.Add(e.Message), cancellationToken);
        foreach (var batch in Batches(candidates))
        {
            var records = Load(batch);
            var (news, olds) = await CredentialsAsync(records.Values, moves, cancellationToken);
            var retiring = new List<MoveRecord>();
            var resumed = new HashSet<string>(StringComparer.Ordinal);
            var evidence = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
            foreach (var record in records.Values)
            {
                if (record.PendingStep == "retire")
                {
                    resumed.Add(record.Id);
                    retiring.Add(record);
                    continue;
                }
                var move = moves[record.Id];
                var holds = news.TryGetValue(record.Id, out var fresh) && migration.Fingerprint(fresh.Field(Move.PrimaryField(move.Issuer!))!) == record.WrittenFingerprint;
                var quiet = UsageEvidence.QuietWindow(migration, move.Issuer!, OldUsername(record, move), NewUsername(record), migration.Config.Cutover.QuietWindow, at, record.StagedAt);
                var gates = Gates.ForRetire(record, migration.Config.Cutover, Now, approvals.GetValueOrDefault(record.Id), holds, quiet, Gates.Probe(move.Config));
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
                continue;
            migration.Commit("retire", "intent", retiring, r => Migration.Evidence(r, evidence.GetValueOrDefault(r.Id) ?? []));

            var proofs = new ConcurrentDictionary<string, AuditEvidence>(StringComparer.Ordinal);
            await ForEachAsync(retiring, async (record, ct) =>
            {
                var move = moves[record.Id];
                var found = Migration.Evidence(record);
                try
                {
                    // The source is deleted only after the negative probe passed: gone on a resumed retire means it did.
                    var probed = resumed.Contains(record.Id) && !olds.ContainsKey(record.Id);
                    if (!probed && !olds.ContainsKey(record.Id) && move.Config.Checks.Count > 0)
                        throw new IssuerException($"retire: the source {move.Source} is gone, so the old credential cannot be probed; nothing was revoked");
                    var old = olds.GetValueOrDefault(record.Id) ?? Credential.Described(move.Issuer!.Describe(move.Config.Account!, OldUsername(record, move)));
                    await move.Issuer!.RevokeAsync(old, ct);
                    var problems = new List<string>();
                    if (probed)
                        found = found.WithText("probes", "the old credential was refused before a crash cut this step short; its source entry is already deleted");
                    foreach (var check in olds.ContainsKey(record.Id) ? move.Config.Checks : [])
                    {
                        var result = await check.Probe.RunAsync(old, ct);
                        found = WithProbe(found, check.Probe, "old", result);
                        if (!result.Meets(ProbeExpectation.Refused))
                            problems.Add(result.Outcome == ProbeOutcome.Unreachable
                                ? $"retire: negative probe: the server could not be reached, which is no evidence that the old credential is refused: {result}"
                                : $"retire: negative probe: the old credential still works after revocation: {result}");
                    }
                    if (move.Config.Checks.Count == 0)
                        found = found.WithText("probes", "none configured: the old credential's refusal was not checked");
                    if (problems.Count > 0)
                        throw new IssuerException(string.Join("; ", problems), changedNothing: false);
                    proofs[record.Id] = found;
                }
                catch (IssuerException e)
                {
                    lock (failures)
                        failures[record.Id] = e.Message;
                }
            }, cancellationToken);

            var revoked = retiring.Where(r => proofs.ContainsKey(r.Id)).ToList();
            await migration.ApplyAsync(revoked.Where(r => olds.ContainsKey(r.Id)).SelectMany(r => moves[r.Id].SourceAddresses).Select(StoreChange.Delete).ToList(), cancellationToken);
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
                record.PendingStep = null;
                record.FailedStep = record.FailedReason = null;
                record.RetiredAt = Now;
            }
            migration.Commit("retire", "ok", retiring, r => proofs.GetValueOrDefault(r.Id) ?? Migration.Evidence(r));
            await ForgetEscrowAsync(revoked.Where(r => r.TargetBefore == TargetBefore.Escrowed).SelectMany(r => moves[r.Id].Fields.Values).ToList(), cancellationToken);
        }
    }

    private static string? NewUsername(MoveRecord record) => record.NewDescriptor is { } json ? CredentialDescriptor.FromJson(json).Username : null;

    /// <summary>
    /// Rollback of credential moves before retirement: the NEW credential (or the one a cut-short stage may have
    /// created) is revoked at the issuer, then the target fields are removed or restored from the escrow.
    /// </summary>
    private async Task RollbackCredentialsAsync(Dictionary<string, Move> moves, HashSet<string> ids, Dictionary<string, string> notes, CancellationToken cancellationToken)
    {
        if (!moves.Values.Any(m => m.IsCredential))
            return;
        var candidates = Select(ids, r => r.State is not (MoveState.Retired or MoveState.RolledBack or MoveState.Compromised) && moves.TryGetValue(r.Id, out var m) && m.IsCredential);
        foreach (var batch in Batches(candidates))
        {
            var records = Load(batch);
            foreach (var record in records.Values)
            {
                record.PendingStep = "rollback";
                record.UpdatedAt = Now;
            }
            migration.Commit("rollback", "intent", records.Values);
            var revoked = new ConcurrentBag<string>();
            await ForEachAsync(records.Values, async (record, ct) =>
            {
                if ((record.NewDescriptor ?? record.PendingDescriptor) is { } json)
                    await moves[record.Id].Issuer!.RevokeAsync(Credential.Described(CredentialDescriptor.FromJson(json)), ct);
                revoked.Add(record.Id);
            }, cancellationToken);

            var fields = records.Values.SelectMany(r => moves[r.Id].Fields.Values).ToList();
            var current = await migration.ReadAsync(fields, cancellationToken);
            var restore = await ReadEscrowAsync(records.Values.Where(r => r.TargetBefore == TargetBefore.Escrowed).SelectMany(r => moves[r.Id].Fields.Values).ToList(), cancellationToken);
            var changes = new List<StoreChange>();
            foreach (var record in records.Values)
            {
                var move = moves[record.Id];
                var primary = current.TryGetValue(move.PrimaryTarget, out var v) ? migration.Fingerprint(v) : null;
                // A primary field that holds neither what Keyshift recorded nor a cut-short stage's write was changed by someone else: left alone.
                if (primary is not null && record.WrittenFingerprint is not null && primary != record.WrittenFingerprint && record.PendingDescriptor is null)
                {
                    notes[record.Id] = $"target {move.PrimaryTarget} was changed by someone else since Keyshift wrote it; left as it is";
                    continue;
                }
                foreach (var address in move.Fields.Values.Where(current.ContainsKey))
                {
                    if (record.TargetBefore != TargetBefore.Escrowed)
                        changes.Add(StoreChange.Delete(address));
                    else if (restore.TryGetValue(address, out var previous))
                        changes.Add(StoreChange.Set(address, previous));
                }
            }
            await migration.ApplyAsync(changes, cancellationToken);
            foreach (var record in records.Values)
            {
                record.State = MoveState.RolledBack;
                record.PendingStep = null;
                record.UpdatedAt = Now;
            }
            migration.Commit("rollback", "ok", records.Values, r => Migration.Evidence(r).WithText("revoked", Describe(r.NewDescriptor ?? r.PendingDescriptor)));
            await ForgetEscrowAsync(records.Values.Where(r => r.TargetBefore == TargetBefore.Escrowed).SelectMany(r => moves[r.Id].Fields.Values).ToList(), cancellationToken);
        }
    }
}
