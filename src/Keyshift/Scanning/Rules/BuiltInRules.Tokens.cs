using System.Text;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    private static Rule GitHubToken => new()
    {
        Id = "github-token",
        Description = "GitHub personal access, OAuth, app or refresh token",
        Keywords = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        Pattern = GitHubTokenPattern(),
        PublicPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        TruePositives = ["GITHUB_TOKEN=ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8", new("""token = "ghs_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8" """, "ci.py")],
        FalsePositives = ["GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "GITHUB_TOKEN=ghp_1234", "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}"],
    };

    private static Rule GitHubFineGrainedToken => new()
    {
        Id = "github-fine-grained-token",
        Description = "GitHub fine-grained personal access token",
        Keywords = ["github_pat_"],
        Pattern = GitHubFineGrainedTokenPattern(),
        PublicPrefixes = ["github_pat_"],
        TruePositives = ["GH_PAT=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"],
        FalsePositives = ["GH_PAT=github_pat_<your-token-here>", "GH_PAT=github_pat_11AAAAA"],
    };

    private static Rule GitLabToken => new()
    {
        Id = "gitlab-token",
        Description = "GitLab personal access token",
        Keywords = ["glpat-"],
        Pattern = GitLabTokenPattern(),
        PublicPrefixes = ["glpat-"],
        TruePositives = ["GITLAB_TOKEN: glpat-sMnTvnRO2qGFq562dfOB"],
        FalsePositives = ["GITLAB_TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx", "GITLAB_TOKEN: glpat-short"],
    };

    private static Rule NpmToken => new()
    {
        Id = "npm-token",
        Description = "npm access token",
        Keywords = ["npm_"],
        Pattern = NpmTokenPattern(),
        PublicPrefixes = ["npm_"],
        TruePositives = ["NPM_TOKEN=npm_1rcavXiOqkVCJTBJahe84S5jIc1xLJjBictx"],
        FalsePositives = ["export npm_config_registry=https://registry.npmjs.org/", "NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"],
    };

    private static Rule NpmrcAuthToken => new()
    {
        Id = "npmrc-auth-token",
        Description = "Registry auth token in .npmrc",
        Keywords = ["_authToken"],
        Pattern = NpmrcAuthTokenPattern(),
        Anchored = true,
        Entropy = 3.0,
        TruePositives = [new("//npm.pkg.internal/:_authToken=9f2c41d7-55be-4a5e-9a7e-3c1d0b8e6f42", ".npmrc")],
        FalsePositives = [new("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", ".npmrc"), new("//registry.npmjs.org/:_authToken=", ".npmrc")],
    };

    private static Rule PyPiToken => new()
    {
        Id = "pypi-token",
        Description = "PyPI upload token",
        Keywords = ["pypi-AgEIcHlwaS5vcmc"],
        Pattern = PyPiTokenPattern(),
        PublicPrefixes = ["pypi-"],
        TruePositives = [new("password = pypi-AgEIcHlwaS5vcmcfTAFnT0tEuw0dwQ0FIunWe8Cz6SNDCdyZQJiJSZQdoHwHen3SO3oXyGf3azU", ".pypirc")],
        FalsePositives = [new("password = pypi-AgEIcHlwaS5vcmc", ".pypirc")],
    };

    private static Rule DockerHubToken => new()
    {
        Id = "docker-hub-token",
        Description = "Docker Hub personal access token",
        Keywords = ["dckr_pat_"],
        Pattern = DockerHubTokenPattern(),
        PublicPrefixes = ["dckr_pat_"],
        TruePositives = ["DOCKERHUB_TOKEN=dckr_pat_Be8Q6vNuQ2hU5tGtQAuzSsJimAQ"],
        FalsePositives = ["DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    };

    private static Rule DockerConfigAuth => new()
    {
        Id = "docker-config-auth",
        Description = "Registry credentials (base64 user:password) in a Docker config.json",
        Keywords = ["\"auth\""],
        Pattern = DockerConfigAuthPattern(),
        Accept = static (m, _, _) => IsBase64UserPassword(m.Groups["secret"].Value),
        TruePositives = [new("""{"auths": {"registry.internal": {"auth": "ZGVwbG95Ojh5UlY1bE5LdHpKMWF0c24="}}}""", "config.json")],
        FalsePositives =
        [
            new("""{"auths": {"registry.internal": {"auth": ""}}}""", "config.json"),
            new("""{"auth": "bm90LWNyZWRlbnRpYWxz"}""", "config.json"),
        ],
    };

    private static Rule SlackToken => new()
    {
        Id = "slack-token",
        Description = "Slack bot, user or app token",
        Keywords = ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"],
        Pattern = SlackTokenPattern(),
        PublicPrefixes = ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"],
        TruePositives = ["SLACK_BOT_TOKEN=xoxb-699577738721-4895134332003-EN2XeDA4OKmTSyFzpjPSa5W3"],
        FalsePositives = ["SLACK_BOT_TOKEN=xoxb-your-token-here", "SLACK_BOT_TOKEN=xoxb-123"],
    };

    private static Rule SlackWebhook => new()
    {
        Id = "slack-webhook-url",
        Description = "Slack incoming webhook URL",
        Keywords = ["hooks.slack.com"],
        Pattern = SlackWebhookPattern(),
        PublicPrefixes = ["https://hooks.slack.com/"],
        TruePositives = ["webhook: https://hooks.slack.com/services/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"],
        FalsePositives = ["webhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "see https://hooks.slack.com/ for details"],
    };

    private static Rule StripeKey => new()
    {
        Id = "stripe-secret-key",
        Description = "Stripe secret or restricted key",
        Keywords = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
        Pattern = StripeKeyPattern(),
        PublicPrefixes = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
        TruePositives = ["STRIPE_SECRET_KEY=sk_live_OrXXHFOprCeTsprvu5Ifijoy", new("""Stripe.ApiKey = "rk_test_OrXXHFOprCeTsprvu5Ifijoy";""", "Billing.cs")],
        FalsePositives = ["STRIPE_PUBLISHABLE_KEY=pk_live_OrXXHFOprCeTsprvu5Ifijoy", "STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"],
    };

    private static Rule TwilioAuthToken => new()
    {
        Id = "twilio-auth-token",
        Description = "Twilio auth token or API secret",
        Keywords = ["twilio"],
        Pattern = TwilioAuthTokenPattern(),
        Entropy = 3.0,
        Multiline = true,
        Reach = 1024,
        TruePositives = ["TWILIO_AUTH_TOKEN=462ddaed16dc0cf0b9cd7f78df0cac5e", new("twilio:\n  auth_token: 462ddaed16dc0cf0b9cd7f78df0cac5e", "x.yaml")],
        FalsePositives = ["TWILIO_ACCOUNT_SID=AC462ddaed16dc0cf0b9cd7f78df0cac5e", "TWILIO_AUTH_TOKEN=00000000000000000000000000000000"],
    };

    private static Rule SendGridKey => new()
    {
        Id = "sendgrid-api-key",
        Description = "SendGrid API key",
        Keywords = ["SG."],
        Pattern = SendGridKeyPattern(),
        PublicPrefixes = ["SG."],
        TruePositives = ["SENDGRID_API_KEY=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"],
        FalsePositives = ["SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "msg.send(SG.config)"],
    };

    private static Rule OpenAiKey => new()
    {
        Id = "openai-api-key",
        Description = "OpenAI API key",
        Keywords = ["T3BlbkFJ"],
        Pattern = OpenAiKeyPattern(),
        PublicPrefixes = ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"],
        TruePositives = ["OPENAI_API_KEY=sk-proj-0FgB9xO51DTjBlUH9PrNT3BlbkFJZ6IXEDB0ULru2p17fr4C"],
        FalsePositives = ["OPENAI_API_KEY=sk-proj-T3BlbkFJ"],
    };

    private static Rule AnthropicKey => new()
    {
        Id = "anthropic-api-key",
        Description = "Anthropic API key",
        Keywords = ["sk-ant-"],
        Pattern = AnthropicKeyPattern(),
        PublicPrefixes = ["sk-ant-"],
        TruePositives = ["ANTHROPIC_API_KEY=sk-ant-api03-F7WRd-Px_BTHRJJbykE0_E8_5clLCZFNV8S2QT6INGDpyOpxyB9JKmyLDUwMbqJfgLq_nbK894RxgG9oiZ_jgttMkFp1CAA"],
        FalsePositives = ["ANTHROPIC_API_KEY=sk-ant-api03-..."],
    };

    private static Rule ShopifyToken => new()
    {
        Id = "shopify-token",
        Description = "Shopify access token or shared secret",
        Keywords = ["shpat_", "shpca_", "shppa_", "shpss_"],
        Pattern = ShopifyTokenPattern(),
        PublicPrefixes = ["shpat_", "shpca_", "shppa_", "shpss_"],
        TruePositives = ["SHOPIFY_TOKEN=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"],
        FalsePositives = ["SHOPIFY_TOKEN=shpat_", "SHOPIFY_TOKEN=shpat_00000000000000000000000000000000"],
    };

    private static Rule GoogleOAuthSecret => new()
    {
        Id = "google-oauth-client-secret",
        Description = "Google OAuth client secret",
        Keywords = ["GOCSPX-"],
        Pattern = GoogleOAuthSecretPattern(),
        PublicPrefixes = ["GOCSPX-"],
        TruePositives = [new("""{"client_secret": "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"}""", "client.json")],
        FalsePositives = [new("""{"client_secret": "GOCSPX-<your-secret>"}""", "client.json")],
    };

    private static bool IsBase64UserPassword(string value)
    {
        Span<byte> bytes = stackalloc byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out var written))
            return false;
        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1 && !ValueFilters.IsPlaceholder(text[(colon + 1)..]);
    }

    [GeneratedRegex("(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])")]
    private static partial Regex GitHubTokenPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])")]
    private static partial Regex GitHubFineGrainedTokenPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])")]
    private static partial Regex GitLabTokenPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])")]
    private static partial Regex NpmTokenPattern();

    [GeneratedRegex("""(?i)\G_authToken[ \t]*=[ \t]*["']?(?<secret>[^\s"'$]{8,})""")]
    private static partial Regex NpmrcAuthTokenPattern();

    [GeneratedRegex("(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})")]
    private static partial Regex PyPiTokenPattern();

    [GeneratedRegex("(?<secret>dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])")]
    private static partial Regex DockerHubTokenPattern();

    [GeneratedRegex("""
        "auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"
        """)]
    private static partial Regex DockerConfigAuthPattern();

    [GeneratedRegex("(?<secret>xox[baprs]-[0-9A-Za-z-]{10,250})")]
    private static partial Regex SlackTokenPattern();

    [GeneratedRegex("(?<secret>https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})")]
    private static partial Regex SlackWebhookPattern();

    [GeneratedRegex("(?<![A-Za-z0-9])(?<secret>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,99})(?![0-9A-Za-z])")]
    private static partial Regex StripeKeyPattern();

    [GeneratedRegex("""(?i)twilio[\w.-]*?(?:auth[_.-]?token|secret|api[_.-]?secret)["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?(?<secret>[0-9a-f]{32})(?![0-9a-f])|twilio:\s*\n(?:[ \t]+[^\n]*\n){0,4}?[ \t]+(?:auth_token|api_secret):[ \t]*["']?(?<secret>[0-9a-f]{32})(?![0-9a-f])""")]
    private static partial Regex TwilioAuthTokenPattern();

    [GeneratedRegex("(?<secret>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")]
    private static partial Regex SendGridKeyPattern();

    [GeneratedRegex("(?<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})")]
    private static partial Regex OpenAiKeyPattern();

    [GeneratedRegex("(?<secret>sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})")]
    private static partial Regex AnthropicKeyPattern();

    [GeneratedRegex("(?<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?![a-fA-F0-9])")]
    private static partial Regex ShopifyTokenPattern();

    [GeneratedRegex("(?<secret>GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])")]
    private static partial Regex GoogleOAuthSecretPattern();
}
