using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Probes;

public sealed class CommandProbeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Credential Login(string password) => Credential.Login(CredentialDescriptor.Of("t", "app", "app"), SecretValue.FromUtf8(password));

    private Probe Script(string body, string extra = "")
    {
        var script = _dir.Write("check.sh", "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (probe, errors, _) = ProbeFactory.TryCreate(_dir.Path, $"type: command\nrun: [{script}, --quick]\nrefusedExitCode: 77\nunreachableExitCode: 69\n{extra}");
        errors.ThrowIfAny();
        return probe!;
    }

    [Fact]
    public async Task CredentialGoesThroughTheEnvironment_NeverTheCommandLine()
    {
        var probe = Script("""[ "$KEYSHIFT_USERNAME" = app ] && [ "$KEYSHIFT_PASSWORD" = "pw-canary-123" ] && ps -o args= -p $$ | grep -qv pw-canary && [ "$1" = --quick ]""");
        var result = await probe.RunAsync(Login("pw-canary-123"), Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Succeeded, result.Reason);
    }

    [Theory]
    [InlineData(77, ProbeOutcome.Refused)]
    [InlineData(69, ProbeOutcome.Unreachable)]
    [InlineData(3, ProbeOutcome.Failed)]
    public async Task ExitCodes_MapToOutcomes(int code, ProbeOutcome outcome) =>
        (await Script($"exit {code}").RunAsync(Login("x-secret-1"), Ct)).Outcome.ShouldBe(outcome);

    [Fact]
    public async Task Reason_NeverEchoesTheCredential_EvenWhenTheCommandPrintsIt()
    {
        var result = await Script("""echo "login failed for $KEYSHIFT_PASSWORD" >&2; exit 77""").RunAsync(Login("pw-canary-456"), Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Refused);
        result.Reason.ShouldContain("login failed for ***");
        SecretAssert.NotIn(result.ToString(), "pw-canary-456");
    }

    [Fact]
    public async Task MissingProgram_FailsClearly()
    {
        var (probe, _, _) = ProbeFactory.TryCreate(_dir.Path, "type: command\nrun: [/nonexistent/checker]");
        var result = await probe!.RunAsync(Login("x-secret-2"), Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Failed);
        result.Reason.ShouldContain("/nonexistent/checker");
    }

    [Fact]
    public void VariableNames_FollowTheFieldNames()
    {
        CommandProbe.VariableFor("privateKey").ShouldBe("KEYSHIFT_PRIVATE_KEY");
        CommandProbe.VariableFor("password").ShouldBe("KEYSHIFT_PASSWORD");
    }

    public void Dispose() => _dir.Dispose();
}
