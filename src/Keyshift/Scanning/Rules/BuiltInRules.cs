namespace Keyshift.Scanning.Rules;

/// <summary>
/// The rules Keyshift ships. Order matters: where two rules match the same characters the earlier one
/// wins, so specific token formats come before connection strings, and those before generic assignments.
/// </summary>
internal static partial class BuiltInRules
{
    private static readonly Lazy<IReadOnlyList<Rule>> AllRules = new(() =>
    [
        AwsAccessKeyId, AwsSecretAccessKey, GcpServiceAccount, GcpApiKey, AzureStorageKey, AzureSharedAccessKey, AzureAdClientSecret,
        GitHubToken, GitHubFineGrainedToken, GitLabToken, NpmToken, NpmrcAuthToken, PyPiToken, DockerHubToken, DockerConfigAuth,
        SlackToken, SlackWebhook, StripeKey, TwilioAuthToken, SendGridKey, OpenAiKey, AnthropicKey, ShopifyToken, GoogleOAuthSecret,
        PrivateKey, Jwt,
        ConnectionUriPassword, JdbcPassword, AdoConnectionString,
        AuthorizationHeader, CliPasswordArgument, XmlSecretSetting, GenericPassword, GenericSecret,
        .. ReferenceRules,
    ]);

    public static IReadOnlyList<Rule> All => AllRules.Value;
}
