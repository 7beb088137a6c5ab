namespace Keyshift.Configuration;

/// <summary>One entry of <c>moves:</c>; <see cref="From"/> may be a pattern with one <c>*</c>.</summary>
public sealed record MoveConfig
{
    public required string From { get; init; }

    public required string To { get; init; }

    public string? Owner { get; init; }

    public TimeSpan? Rotation { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Consumers { get; init; } = [];

    public IReadOnlyList<Settings> Probes { get; init; } = [];

    /// <summary>The probes built from <see cref="Probes"/> (credential replacement), with what each must show.</summary>
    public IReadOnlyList<Probes.ConfiguredProbe> Checks { get; init; } = [];

    /// <summary>True when the move says <c>probes:</c> at all — <c>probes: []</c> is an explicit "no probe".</summary>
    public bool ProbesDeclared { get; init; }

    /// <summary><c>requireProbe:</c> as written; a credential move without probes retires only when it is false or <c>probes: []</c> is written.</summary>
    public bool? RequireProbe { get; init; }

    /// <summary>Credential replacement: may retire without a negative probe proving the old credential refused.</summary>
    public bool RetiresWithoutProbe => Checks.Count == 0 && (RequireProbe == false || (ProbesDeclared && RequireProbe != true));

    public string? Issuer { get; init; }

    public string? Account { get; init; }

    public ConflictPolicy? OnConflict { get; init; }

    /// <summary>
    /// Retirement of a consumer's legacy API key (<c>integration: NAME</c>): <see cref="From"/> is the consumer's
    /// <c>legacyKey</c> in that integration, <see cref="To"/> its new credential (its <c>clientSecret</c> unless written).
    /// </summary>
    public string? Integration { get; init; }

    /// <summary>For an integration move: the consumer whose <c>legacyKey</c> is <see cref="From"/>.</summary>
    public string? IntegrationConsumer { get; init; }

    public required SourceLocation Location { get; init; }

    public bool IsPattern => From.Contains('*', StringComparison.Ordinal);
}
