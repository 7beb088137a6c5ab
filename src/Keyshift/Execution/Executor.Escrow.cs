using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    private BundleStore? _escrow;

    /// <summary>
    /// The values Keyshift overwrote (onConflict: overwrite), kept in <c>.keyshift/escrow.ksb</c>, an AES-256-GCM
    /// bundle whose key is derived from the workspace key, so rollback can restore them.
    /// </summary>
    private BundleStore Escrow => _escrow ??= new BundleStore(
        "escrow", Path.Combine(migration.Workspace.StateDirectory, "escrow.ksb"), new RawBundleKey(migration.Key.Mac("escrow", [])), migration.Time);

    private static SecretAddress EscrowAddress(SecretAddress target) => new("escrow", $"{target.Store}/{target.Path}", target.Key);

    /// <summary>Keeps the current values of the targets about to be overwritten; the first value kept for a target stays.</summary>
    private async Task EscrowAsync(IReadOnlyList<SecretAddress> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
            return;
        migration.Persist();
        var current = await migration.ReadAsync(targets, cancellationToken);
        var kept = await Escrow.ReadAsync(targets.Select(EscrowAddress).ToList(), cancellationToken);
        var changes = current.Where(c => !kept.ContainsKey(EscrowAddress(c.Key)))
            .Select(c => StoreChange.Set(EscrowAddress(c.Key), c.Value)).ToList();
        if (changes.Count > 0)
            await Escrow.ApplyAsync(changes, cancellationToken);
    }

    private async Task<Dictionary<SecretAddress, SecretValue>> ReadEscrowAsync(IReadOnlyList<SecretAddress> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
            return [];
        var kept = await Escrow.ReadAsync(targets.Select(EscrowAddress).ToList(), cancellationToken);
        return targets.Where(t => kept.ContainsKey(EscrowAddress(t))).ToDictionary(t => t, t => kept[EscrowAddress(t)]);
    }

    /// <summary>Forgets escrowed values once they cannot be needed: restored by rollback, or the move retired.</summary>
    private async Task ForgetEscrowAsync(IReadOnlyList<SecretAddress> targets, CancellationToken cancellationToken)
    {
        if (targets.Count > 0)
            await Escrow.ApplyAsync(targets.Select(t => StoreChange.Delete(EscrowAddress(t))).ToList(), cancellationToken);
    }
}
