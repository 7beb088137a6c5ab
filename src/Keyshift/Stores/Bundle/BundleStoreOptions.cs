using Keyshift.Configuration;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// A bundle store's settings: <c>path</c>, and either <c>passphrase</c> (<c>env:NAME</c> or <c>file:PATH</c>)
/// or <c>recipient</c> (a public key PEM, for writing) and/or <c>identity</c> (<c>file:PATH</c> of the
/// private key PEM, for reading); <c>iterations</c> raises the PBKDF2 count for new files.
/// </summary>
internal sealed record BundleStoreOptions
{
    public static readonly string[] Fields = ["type", "path", "passphrase", "recipient", "identity", "iterations"];

    public string Path { get; init; } = "";

    public CredentialReference? Passphrase { get; init; }

    /// <summary>Absolute path of the recipient's public key PEM.</summary>
    public string? Recipient { get; init; }

    public CredentialReference? Identity { get; init; }

    public int Iterations { get; init; } = PassphraseBundleKey.MinimumIterations;

    /// <summary>Reads and checks the settings; problems go to the settings' error list.</summary>
    public static BundleStoreOptions Read(StoreContext context)
    {
        var settings = context.Settings;
        settings.AllowOnly(Fields);
        var options = new BundleStoreOptions
        {
            Path = context.RequirePath("path"),
            Passphrase = settings.Credential("passphrase"),
            Recipient = settings.Has("recipient") ? context.RequirePath("recipient") : null,
            Identity = settings.Credential("identity"),
            Iterations = settings.Int("iterations", PassphraseBundleKey.MinimumIterations, PassphraseBundleKey.MaximumIterations)
                ?? PassphraseBundleKey.MinimumIterations,
        };
        var hasPassphrase = settings.Has("passphrase");
        var hasKeyPair = settings.Has("recipient") || settings.Has("identity");
        if (hasPassphrase && hasKeyPair)
            settings.Error("passphrase", "give either passphrase, or recipient and/or identity, not both");
        else if (!hasPassphrase && !hasKeyPair)
            settings.Errors.Add(settings.Location, settings.Field("passphrase"), "is required: a bundle needs passphrase (env:NAME or file:PATH), or recipient and/or identity");
        if (settings.Has("iterations") && !hasPassphrase)
            settings.Error("iterations", "applies to passphrase bundles only");
        return options;
    }

    /// <summary>Resolves the credentials into a key; throws bad input naming the field when one is missing.</summary>
    public BundleKey CreateKey(Settings settings, Workspace workspace)
    {
        if (Passphrase is not null)
        {
            var passphrase = BundleCredential.Read(Passphrase, workspace.Resolve, settings.At("passphrase"), settings.Field("passphrase"));
            return new PassphraseBundleKey(passphrase, Iterations);
        }
        var recipient = Recipient is null ? null
            : KeyPem.TryLoad(Recipient, requirePrivate: false, out var problem)
                ?? throw new BadInputException(settings.At("recipient"), settings.Field("recipient"), problem!);
        var identity = Identity is null ? null : LoadIdentity(Identity, settings, workspace);
        var description = Identity is not null ? $"identity {Identity.Target}" : $"recipient {Recipient}";
        return new RecipientBundleKey(recipient, identity, description);
    }

    private static System.Security.Cryptography.AsymmetricAlgorithm LoadIdentity(CredentialReference reference, Settings settings, Workspace workspace)
    {
        var location = settings.At("identity");
        var field = settings.Field("identity");
        string? problem;
        var key = reference.Kind == "env"
            ? KeyPem.TryParse(System.Text.Encoding.UTF8.GetString(BundleCredential.Read(reference, workspace.Resolve, location, field)), "$" + reference.Target, requirePrivate: true, out problem)
            : KeyPem.TryLoad(BundleCredential.Path(reference, workspace.Resolve, location, field), requirePrivate: true, out problem);
        return key ?? throw new BadInputException(location, field, problem!);
    }
}
