using System.Collections.Concurrent;
using Keyshift.Audit;
using Keyshift.Issuers;
using Keyshift.Planning;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Reissue: per batch, prepare every credential (checks only) and record the pending descriptors with the intent;
    /// then issue them (a resumed move issues again with its saved descriptor, so the issuer reconciles the same
    /// credential instead of creating a second one), write their fields to the targets, and record the result.
    /// </summary>
    private async Task StageCredentialsAsync(List<PlannedMove> toStage, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var batch in Batches(toStage))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Load(batch.Select(p => p.Id));
            var sources = await migration.ReadAsync(batch.SelectMany(p => p.Move.SourceAddresses), cancellationToken);
            var staged = new List<(PlannedMove Planned, MoveRecord Record)>();
            foreach (var planned in batch)
            {
                // Of a multi-field source only the secret field is required: an old certificate may come without a pkcs12 field.
                if (!sources.ContainsKey(planned.Move.PrimarySource))
                {
                    failures[planned.Id] = $"stage: source {planned.Move.PrimarySource} (the credential in use today) disappeared";
                    continue;
                }
                var record = records.GetValueOrDefault(planned.Id) ?? NewRecord(planned.Move);
                if (record.State == MoveState.RolledBack)
                    Reset(record);
                if (record.PendingStep != "stage" && record.WrittenFingerprint is null)
                    record.TargetBefore = planned.Outcome == PlanOutcome.Overwrite ? TargetBefore.Escrowed : TargetBefore.Empty;
                record.PendingStep = "stage";
                RecordPolicy(record, planned.Move);
                record.UpdatedAt = Now;
                staged.Add((planned, record));
            }
            // Prepare changes nothing at the issuer: a failure here is bad input (unreachable, refused, no such account).
            await ForEachAsync(staged.Where(s => s.Record.PendingDescriptor is null), async (s, ct) =>
            {
                var move = s.Planned.Move;
                var account = move.Config.Account!;
                var request = new IssueRequest(account, CurrentUsername(move, sources), RequestToken.For(move.Id, "stage", s.Record.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                s.Record.PendingDescriptor = (await move.Issuer!.PrepareAsync(request, ct)).ToJson();
            }, cancellationToken);
            await EscrowAsync(staged.Where(s => s.Record.TargetBefore == TargetBefore.Escrowed && s.Record.WrittenFingerprint is null)
                .SelectMany(s => s.Planned.Move.Fields.Values).ToList(), cancellationToken);
            migration.Commit("stage", "intent", staged.Select(s => s.Record).ToList(), r => Migration.Evidence(r).WithText("pending", Describe(r.PendingDescriptor)));

            var issued = new ConcurrentDictionary<string, Credential>(StringComparer.Ordinal);
            await ForEachAsync(staged, async (s, ct) =>
            {
                try
                {
                    issued[s.Record.Id] = await s.Planned.Move.Issuer!.IssueAsync(CredentialDescriptor.FromJson(s.Record.PendingDescriptor!), ct);
                }
                catch (IssuerException e)
                {
                    lock (failures)
                        failures[s.Record.Id] = e.Message;
                }
            }, cancellationToken);
            var writes = staged.Where(s => issued.ContainsKey(s.Record.Id))
                .SelectMany(s => s.Planned.Move.Fields.Select(f => StoreChange.Set(f.Value, issued[s.Record.Id].Field(f.Key)
                    ?? throw new IssuerException($"{s.Planned.Move.Issuer}: issue: the credential has no '{f.Key}' field", changedNothing: false))))
                .ToList();
            await migration.ApplyAsync(writes, cancellationToken);

            foreach (var (planned, record) in staged)
            {
                record.UpdatedAt = Now;
                if (!issued.TryGetValue(record.Id, out var credential))
                {
                    record.FailedStep = "stage";
                    record.FailedReason = failures.GetValueOrDefault(record.Id);
                    continue;
                }
                record.State = MoveState.Staged;
                record.SourceFingerprint = migration.Fingerprint(sources[planned.Move.PrimarySource]);
                record.WrittenFingerprint = migration.Fingerprint(credential.Field(Move.PrimaryField(planned.Move.Issuer!))!);
                // Which login the new credential replaces: the quiet window watches it, retire revokes it.
                record.NewDescriptor = credential.Descriptor.With(UsageEvidence.Replaces, CurrentUsername(planned.Move, sources)).ToJson();
                record.PendingDescriptor = null;
                record.PendingStep = null;
                record.FailedReason = record.FailedStep = null;
                record.StagedAt = Now;
            }
            migration.Commit("stage", "ok", staged.Select(s => s.Record).ToList(), r => Migration.Evidence(r).WithText("issued", Describe(r.NewDescriptor ?? r.PendingDescriptor)));
            done += batch.Count;
            Report("stage", done, toStage.Count);
        }
    }

    /// <summary>Reissue: every probe authenticates with the new credential, and with the old one too while both must work.</summary>
    private async Task VerifyCredentialsAsync(Dictionary<string, Move> moves, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        // A storage-only plan skips the whole-table read below.
        if (!moves.Values.Any(m => m.IsCredential))
            return;
        var pending = Select(ids, r => r.State == MoveState.Staged && moves.TryGetValue(r.Id, out var m) && m.IsCredential);
        foreach (var batch in Batches(pending))
        {
            var records = Load(batch);
            var (news, olds) = await CredentialsAsync(records.Values, moves, cancellationToken);
            var evidence = new ConcurrentDictionary<string, AuditEvidence>(StringComparer.Ordinal);
            await ForEachAsync(records.Values, async (record, ct) =>
            {
                var move = moves[record.Id];
                var problems = new List<string>();
                var found = Migration.Evidence(record);
                if (!news.TryGetValue(record.Id, out var fresh) || migration.Fingerprint(fresh.Field(Move.PrimaryField(move.Issuer!))!) != record.WrittenFingerprint)
                    problems.Add($"verify: target {move.Target} does not hold the credential Keyshift issued");
                foreach (var check in move.Config.Checks.Where(c => c.Expectation == ProbeExpectation.Success))
                {
                    if (fresh is not null)
                    {
                        var result = await check.Probe.RunAsync(fresh, ct);
                        found = WithProbe(found, check.Probe, "new", result);
                        if (!result.Meets(ProbeExpectation.Success))
                            problems.Add($"verify: new credential: {result}");
                    }
                    if (move.Issuer!.SupportsDualRun && olds.TryGetValue(record.Id, out var old))
                    {
                        var result = await check.Probe.RunAsync(old, ct);
                        found = WithProbe(found, check.Probe, "old", result);
                        if (!result.Meets(ProbeExpectation.Success))
                            problems.Add($"verify: old credential no longer works, so there is no dual-run: {result}");
                    }
                }
                if (move.Config.Checks.Count == 0)
                    found = found.WithText("probes", "none configured: only the target was checked");
                evidence[record.Id] = found;
                record.UpdatedAt = Now;
                if (problems.Count == 0)
                {
                    record.State = MoveState.Verified;
                    record.VerifiedAt = Now;
                    return;
                }
                record.State = MoveState.Failed;
                record.FailedStep = "verify";
                record.FailedReason = string.Join("; ", problems);
                lock (failures)
                    failures[record.Id] = record.FailedReason;
            }, cancellationToken);
            migration.Commit("verify", "ok", records.Values, r => evidence[r.Id]);
        }
    }

    /// <summary>The new credentials (descriptor + fields read from the targets) and the old ones (descriptor + the source's value).</summary>
    private async Task<(Dictionary<string, Credential> New, Dictionary<string, Credential> Old)> CredentialsAsync(
        IEnumerable<MoveRecord> records, Dictionary<string, Move> moves, CancellationToken cancellationToken)
    {
        var list = records.ToList();
        var values = await migration.ReadAsync(list.SelectMany(r => moves[r.Id].Fields.Values.Concat(moves[r.Id].SourceAddresses)), cancellationToken);
        var news = new Dictionary<string, Credential>(StringComparer.Ordinal);
        var olds = new Dictionary<string, Credential>(StringComparer.Ordinal);
        foreach (var record in list)
        {
            var move = moves[record.Id];
            if (record.NewDescriptor is { } json && move.Fields.All(f => values.ContainsKey(f.Value)))
                news[record.Id] = new Credential(CredentialDescriptor.FromJson(json), move.Fields.ToDictionary(f => f.Key, f => values[f.Value], StringComparer.Ordinal));
            if (values.ContainsKey(move.PrimarySource))
                olds[record.Id] = OldCredential(move, values);
        }
        return (news, olds);
    }

    /// <summary>
    /// The credential in use today, read from the source: one value (the account's own login, first rotation), or a
    /// map of fields whose <c>username</c> names the login in use (a credential Keyshift issued before).
    /// </summary>
    private static Credential OldCredential(Move move, IReadOnlyDictionary<SecretAddress, SecretValue> values)
    {
        var fields = new Dictionary<string, SecretValue>(StringComparer.Ordinal);
        foreach (var (field, address) in move.SourceFields)
        {
            if (values.TryGetValue(address, out var value))
                fields[field] = value;
        }
        fields[Move.PrimaryField(move.Issuer!)] = values[move.PrimarySource];
        var username = CurrentUsername(move, values);
        if (move.Issuer!.Fields.Contains(Credential.Username))
            fields[Credential.Username] = SecretValue.FromUtf8(username);
        return new Credential(move.Issuer.Describe(move.Config.Account!, username), fields);
    }

    /// <summary>The login in use today: the source's <c>username</c> field where it has one, else the account itself.</summary>
    private static string CurrentUsername(Move move, IReadOnlyDictionary<SecretAddress, SecretValue> values) =>
        move.SourceFields.TryGetValue(Credential.Username, out var address) && values.TryGetValue(address, out var username)
            ? username.RevealUtf8()
            : move.Config.Account!;

    private static string OldUsername(MoveRecord record, Move move) => UsageEvidence.OldUsername(record, move.Config.Account!);

    private Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = migration.Concurrency, CancellationToken = cancellationToken }, body);

    /// <summary>A probe result as audit evidence (its reason is already redacted), clipped to what evidence keeps.</summary>
    private static AuditEvidence WithProbe(AuditEvidence evidence, Probe probe, string which, ProbeResult result)
    {
        var text = result.ToString();
        return evidence.WithText($"probe.{probe.Name.Replace('#', '_')}.{which}", text.Length <= AuditEvidence.MaxTextLength ? text : text[..(AuditEvidence.MaxTextLength - 1)] + "…");
    }

    private static string Describe(string? descriptor) => descriptor is null ? "none" : CredentialDescriptor.FromJson(descriptor).ToString();
}
