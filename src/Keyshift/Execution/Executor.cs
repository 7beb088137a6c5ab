using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Execution;

/// <summary>
/// Runs the move state machine over a plan, in batches: each batch records its intent (audit entry and
/// state, in that order) before it touches a store, does one rewrite per store, then records its result.
/// A crash at any point leaves state from which a re-run converges, losing and duplicating nothing.
/// </summary>
public sealed partial class Executor(Migration migration, IProgress<StepProgress>? progress = null)
{
    /// <summary>
    /// Moves per batch: one state transaction and one rewrite per store each. Unset, a step makes about ten
    /// batches of 5,000 to 50,000 moves: a file store re-reads its (growing) file once per batch, so a fixed
    /// small batch makes a large migration quadratic in file size, and a huge one holds too much at once.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>Where step progress goes (a progress bar), if anywhere.</summary>
    public IProgress<StepProgress>? Progress { get; set; } = progress;

    private DateTimeOffset Now => migration.Time.GetUtcNow();

    /// <summary>Takes every move of the plan as far as <paramref name="until"/> (or as the gates allow).</summary>
    public async Task<IReadOnlyList<MoveOutcome>> ApplyAsync(Plan plan, MoveState until, CancellationToken cancellationToken)
    {
        var conflicts = plan.Conflicts.ToList();
        if (conflicts.Count > 0)
            return conflicts.Select(c => new MoveOutcome(c.Id, c.State, [new Gate("conflict", false, $"target {c.Move.Target} holds a value Keyshift did not write; set onConflict: overwrite to replace it (rollback restores it)")], null)).ToList();

        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var toStage = plan.Moves.Where(m => m.Outcome is PlanOutcome.Create or PlanOutcome.Update or PlanOutcome.Overwrite or PlanOutcome.NoOp).ToList();
        await StageAsync(toStage.Where(m => !m.Move.IsCredential && !m.Move.IsIntegration).ToList(), failures, cancellationToken);
        await StageIntegrationsAsync(toStage.Where(m => m.Move.IsIntegration).ToList(), failures, cancellationToken);
        await StageCredentialsAsync(toStage.Where(m => m.Move.IsCredential).ToList(), failures, cancellationToken);
        var ids = plan.Moves.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        if (until >= MoveState.Verified)
            await VerifyAsync(plan, ids, failures, cancellationToken);
        if (until >= MoveState.DualRun)
            await CutoverAsync(plan, ids, cancellationToken);
        var held = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
        if (until >= MoveState.Retired)
            held = await RetireAsync(plan, ids, failures, cancellationToken);
        return Outcomes(ids, held, failures);
    }

    internal List<MoveOutcome> Outcomes(HashSet<string> ids, Dictionary<string, IReadOnlyList<Gate>> held, Dictionary<string, string> failures) =>
        MoveTable.LoadStates(migration.Db).Where(r => ids.Contains(r.Id))
            .Select(r => new MoveOutcome(r.Id, r.State, held.GetValueOrDefault(r.Id) ?? [], failures.GetValueOrDefault(r.Id) ?? r.FailedReason))
            .ToList();

    /// <summary>
    /// The ids of recorded moves in the selection that match <paramref name="filter"/>, in a stable order.
    /// The filter sees only <see cref="MoveRecord.State"/>, <see cref="MoveRecord.PendingStep"/> and
    /// <see cref="MoveRecord.FailedReason"/>; each batch loads its rows whole.
    /// </summary>
    private List<string> Select(HashSet<string> ids, Func<MoveRecord, bool> filter) =>
        MoveTable.LoadStates(migration.Db).Where(r => ids.Contains(r.Id) && filter(r)).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();

    private IEnumerable<List<T>> Batches<T>(IReadOnlyCollection<T> items) =>
        items.Chunk(BatchSize ?? Math.Clamp(items.Count / 10, 5000, 50_000)).Select(c => c.ToList());

    private Dictionary<string, MoveRecord> Load(IEnumerable<string> ids) => MoveTable.Load(migration.Db, ids);

    private void Report(string step, int done, int total) => Progress?.Report(new StepProgress(step, done, total));
}
