using System.Text.Json;
using Keyshift.Configuration;
using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Execution;

/// <summary>
/// Compares source, target, state and config: value drift by fingerprint, presence drift (an entry missing,
/// or back after retirement) and policy drift (owner, rotation, tags differ between config and state).
/// </summary>
public static class Drift
{
    public static IReadOnlyList<DriftFinding> Find(Migration migration, Plan plan)
    {
        var records = migration.LoadRecords();
        var findings = new List<DriftFinding>();
        // A target that a later move took as its source (a second rotation) and retired is gone on purpose.
        var handedOn = plan.Moves.Where(p => records.TryGetValue(p.Id, out var r) && r.State == MoveState.Retired)
            .ToDictionary(p => p.Move.Source.ToString(), p => p.Id, StringComparer.Ordinal);
        foreach (var planned in plan.Moves)
        {
            if (!records.TryGetValue(planned.Id, out var record))
                continue;
            var move = planned.Move;
            var (source, target) = (planned.SourceFingerprint, planned.TargetFingerprint);
            void Add(string kind, string message) => findings.Add(new DriftFinding(planned.Id, kind, message));
            switch (record.State)
            {
                case MoveState.Staged or MoveState.Verified or MoveState.DualRun:
                    if (target is null)
                        Add("presence", $"target {move.Target} is missing");
                    else if (target != record.WrittenFingerprint)
                        Add("value", $"target {move.Target} no longer holds the value Keyshift wrote");
                    // Cutover rewrote a hardcoded source to its reference: the value is meant to be gone from the file.
                    if (record.State == MoveState.DualRun && migration.Config.Stores.GetValueOrDefault(move.Source.Store) is Stores.Hardcoded.HardcodedStore)
                    {
                        if (source is not null)
                            Add("presence", $"source {move.Source} holds its value again after cutover rewrote it to a reference");
                    }
                    else if (source is null)
                        Add("presence", $"source {move.Source} is missing before retirement");
                    else if (target is not null && source != target && !move.IsCredential && !move.IsIntegration)
                        Add("value", $"source {move.Source} and target {move.Target} differ (the source changed after staging: re-run apply)");
                    break;
                case MoveState.Retired:
                    if (source is not null)
                        Add("presence", $"source {move.Source} is back after retirement");
                    if (target is null && handedOn.ContainsKey(move.Target.ToString()))
                        break;
                    if (target is null)
                        Add("presence", $"target {move.Target} is missing after retirement");
                    else if (target != record.WrittenFingerprint)
                        Add("value", $"target {move.Target} no longer holds the value Keyshift wrote");
                    break;
                default:
                    continue;
            }
            Policy(move, record, Add);
        }
        return findings;
    }

    private static void Policy(Move move, MoveRecord record, Action<string, string> add)
    {
        if (!string.Equals(move.Config.Owner, record.Owner, StringComparison.Ordinal))
            add("policy", $"owner is '{move.Config.Owner ?? "none"}' in keyshift.yaml but '{record.Owner ?? "none"}' was recorded at staging");
        var rotation = move.Config.Rotation is { } r ? DurationText.Format(r) : null;
        if (!string.Equals(rotation, record.Rotation, StringComparison.Ordinal))
            add("policy", $"rotation is '{rotation ?? "none"}' in keyshift.yaml but '{record.Rotation ?? "none"}' was recorded at staging");
        var tags = move.Config.Tags.Count == 0 ? null : JsonSerializer.Serialize(move.Config.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary());
        if (!string.Equals(tags, record.Tags, StringComparison.Ordinal))
            add("policy", $"tags are {tags ?? "none"} in keyshift.yaml but {record.Tags ?? "none"} were recorded at staging");
    }
}
