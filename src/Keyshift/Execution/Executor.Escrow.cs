using Keyshift.Secrets;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    // Replaced by the bundle-backed escrow once the bundle store lands (same session).
    private Task EscrowAsync(IReadOnlyList<SecretAddress> targets, CancellationToken cancellationToken) =>
        targets.Count == 0 ? Task.CompletedTask : throw new NotSupportedException("escrow pending");

    private Task<Dictionary<SecretAddress, SecretValue>> ReadEscrowAsync(IReadOnlyList<SecretAddress> targets, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<SecretAddress, SecretValue>());
}
