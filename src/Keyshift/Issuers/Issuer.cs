using Keyshift.Telemetry;

namespace Keyshift.Issuers;

/// <summary>
/// A system where a credential is valid and can be created and revoked (PostgreSQL roles, Redis ACL users,
/// RabbitMQ users, an X.509 CA, an HTTP admin API). The engine drives a replacement in this order:
/// <list type="number">
/// <item><see cref="PrepareAsync"/>: checks (no change) and returns the pending descriptor, deterministic from the
/// request token; the engine persists it before going on.</item>
/// <item><see cref="IssueAsync"/>: creates the credential — or, on a resumed step, finds the one created by the
/// same token and resets its secret — and returns it; the engine writes its fields to the target store.</item>
/// <item><see cref="RevokeAsync"/>: retires the old credential (or the new one on rollback); idempotent.</item>
/// </list>
/// Every message names the issuer and the step and never holds a secret value.
/// </summary>
public abstract class Issuer(string name)
{
    /// <summary>The issuer's name in <c>keyshift.yaml</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The configured type (<c>postgres</c>, <c>redis</c>, …).</summary>
    public abstract string Type { get; }

    /// <summary>The secret fields an issued credential has (<c>username</c>, <c>password</c>; x509 <c>certificate</c>, <c>privateKey</c>).</summary>
    public abstract IReadOnlyList<string> Fields { get; }

    /// <summary>False when old and new cannot be valid together (postgres <c>single-user</c>): there is no dual-run.</summary>
    public virtual bool SupportsDualRun => true;

    /// <summary>Things the user should know about this configuration (for plan and status output).</summary>
    public virtual IReadOnlyList<string> Warnings => [];

    /// <summary>Where probes connect by default; null when the issuer has no network endpoint (x509).</summary>
    public virtual Endpoint? Endpoint => null;

    /// <summary>
    /// Checks that the request can be carried out (server reachable, admin accepted, account exists, privileges
    /// enough) and returns the descriptor of the credential <see cref="IssueAsync"/> will create. Changes nothing.
    /// Called once per step: a repeated or resumed step calls <see cref="IssueAsync"/> again with the persisted descriptor.
    /// </summary>
    public abstract ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the credential <paramref name="pending"/> describes, or reconciles the one an earlier attempt with
    /// the same token created (its secret is reset, nothing is duplicated). Returns the credential with its secret fields.
    /// </summary>
    public abstract ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the credential unusable at the issuer. Revoking a credential that is already gone is not an error.
    /// Either the credential ends revoked or the call throws with the credential still fully usable.
    /// </summary>
    public abstract ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken);

    /// <summary>The descriptor of an existing credential (the old one, in use today) for <see cref="RevokeAsync"/>.</summary>
    public virtual CredentialDescriptor Describe(string account, string username) =>
        CredentialDescriptor.Of(Name, account, username);

    /// <summary>Sources of evidence of who still uses the issuer's credentials (the quiet-window gate); none by default.</summary>
    public virtual IReadOnlyList<TelemetrySource> TelemetrySources(TimeProvider time) => [];

    public override string ToString() => $"issuer '{Name}' ({Type})";

    /// <summary>An <see cref="IssuerException"/> whose message names this issuer and the step.</summary>
    protected IssuerException Fail(string step, string message, Exception? inner = null, bool changedNothing = true) =>
        new($"issuer '{Name}' ({Type}): {step}: {message}", inner, changedNothing);
}
