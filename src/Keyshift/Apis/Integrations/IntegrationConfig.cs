namespace Keyshift.Apis.Integrations;

/// <summary>An integration under <c>integrations:</c> in <c>keyshift.yaml</c>: a consumer group moving from a legacy API to a new one.</summary>
public sealed record IntegrationConfig
{
    public required string Name { get; init; }

    public IntegrationMode Mode { get; init; }

    /// <summary>Percent of each consumer's traffic sent to new in shift mode.</summary>
    public int Weight { get; init; }

    public required IntegrationEndpoint Legacy { get; init; }

    public required IntegrationEndpoint New { get; init; }

    public IReadOnlyList<IntegrationConsumer> Consumers { get; init; } = [];

    /// <summary>The date the legacy API stops answering (RFC 8594 <c>Sunset</c>).</summary>
    public required DateOnly Sunset { get; init; }

    /// <summary>The date the legacy API counts as deprecated (RFC 9745); the sunset date when not given.</summary>
    public DateOnly? Deprecation { get; init; }

    /// <summary>The migration guide, sent as <c>Link: &lt;guide&gt;; rel="sunset"</c> and named by errors after the sunset.</summary>
    public Uri? Guide { get; init; }

    /// <summary>Mirror unsafe methods (POST, PUT, PATCH, DELETE) in shadow mode, each with an <c>Idempotency-Key</c>.</summary>
    public bool MirrorUnsafe { get; init; }

    /// <summary>Response headers compared in shadow mode (besides status and JSON body).</summary>
    public IReadOnlyList<string> CompareHeaders { get; init; } = ["Content-Type"];

    /// <summary>How many safe requests per endpoint are sent to legacy twice to learn which JSON paths are noise.</summary>
    public int NoiseSamples { get; init; } = 3;

    public ShiftRollback Rollback { get; init; } = new();
}
