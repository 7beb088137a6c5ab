using Keyshift.Configuration;
using Keyshift.Issuers;
using Keyshift.Secrets;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Issuers;

/// <summary>Builds an issuer from a YAML snippet as <c>keyshift.yaml</c> would, failing on any reported error.</summary>
public static class IssuerFactory
{
    public static Issuer Create(string workspaceRoot, string yaml, string name = "test")
    {
        var (issuer, errors) = TryCreate(workspaceRoot, yaml, name);
        errors.ThrowIfAny();
        return issuer!;
    }

    public static (Issuer? Issuer, ErrorList Errors) TryCreate(string workspaceRoot, string yaml, string name = "test")
    {
        var errors = new ErrorList();
        var settings = SettingsFactory.Parse(yaml, errors, fieldPath: $"issuers.{name}");
        var workspace = new Workspace(Path.Combine(workspaceRoot, "keyshift.yaml"));
        var context = new IssuerContext(name, settings, workspace, new CredentialResolver(workspace), FingerprintKey.LoadOrCreate(workspace.KeyPath), TimeProvider.System);
        var issuer = IssuerTypes.Create(settings.RequireString("type"), context);
        return (issuer, errors);
    }
}
