using Keyshift.Configuration;
using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Probes;

/// <summary>Builds a probe from a YAML snippet as a move's <c>probes:</c> entry would.</summary>
public static class ProbeFactory
{
    public static (Probe? Probe, ErrorList Errors, ProbeContext Context) TryCreate(string workspaceRoot, string yaml, Issuer? issuer = null)
    {
        var errors = new ErrorList();
        var settings = SettingsFactory.Parse(yaml, errors, fieldPath: "moves[0].probes[0]");
        var context = new ProbeContext("probe", settings, issuer, new Workspace(Path.Combine(workspaceRoot, "keyshift.yaml")), TimeProvider.System);
        return (ProbeTypes.Create(settings.RequireString("type"), context), errors, context);
    }
}
