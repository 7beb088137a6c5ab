using Keyshift.Configuration;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>What a probe is built from: its settings (one entry of a move's <c>probes:</c>), the move's issuer (connection defaults), the workspace and the clock.</summary>
public sealed record ProbeContext(string Name, Settings Settings, Issuer? Issuer, Workspace Workspace, TimeProvider Time)
{
    /// <summary>The probe's host: its own <c>host</c> setting, else the issuer's, else an error naming the field.</summary>
    public string Host(string fallback = "")
    {
        var host = Settings.String("host") ?? Issuer?.Endpoint?.Host ?? fallback;
        if (host.Length == 0)
            Settings.Error("host", "is required (the issuer gives no default)");
        return host;
    }

    public int Port(int fallback) => Settings.Int("port", 1, 65535) ?? Issuer?.Endpoint?.Port ?? fallback;

    public TimeSpan Timeout => Settings.Duration("timeout") ?? TimeSpan.FromSeconds(10);
}
