namespace Keyshift.Apis.Integrations;

/// <summary>The <c>gateway:</c> and <c>integrations:</c> sections of one config, validated.</summary>
public sealed record IntegrationSet
{
    public GatewaySettings Gateway { get; init; } = new();

    public IReadOnlyList<IntegrationConfig> Integrations { get; init; } = [];
}
