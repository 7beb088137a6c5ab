namespace Keyshift.Apis.Integrations;

/// <summary>How the gateway routes an integration's traffic: the stages of moving to the new API.</summary>
public enum IntegrationMode
{
    /// <summary>Pass through to legacy; fill the usage ledger; add deprecation headers.</summary>
    Observe,

    /// <summary>Answer from legacy; mirror to new with the credential translated; compare.</summary>
    Shadow,

    /// <summary>A weighted share of each consumer's requests goes to new; rollback on errors.</summary>
    Shift,

    /// <summary>Everything to new; after the sunset the legacy path answers with an error naming the guide.</summary>
    New,
}
