using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary>Bad settings are reported with file, line and field, and nothing is written.</summary>
public sealed class BundleStoreSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (Store? Store, ErrorList Errors) Build(string yaml)
    {
        var context = SettingsFactory.Store(_dir.Path, yaml);
        return (StoreTypes.Create("bundle", context), context.Settings.Errors);
    }

    [Fact]
    public async Task MissingEnvironmentVariable_IsBadInput_NamingTheFieldAndLine_AndNothingIsWritten()
    {
        var (store, errors) = Build("type: bundle\npath: escrow.ksb\npassphrase: env:KS_SURELY_NOT_SET_4711");
        errors.Any.ShouldBeFalse();

        var e = await Should.ThrowAsync<BadInputException>(async () =>
            await store!.ApplyAsync([StoreChange.Set(SecretAddress.Parse("test:A"), SecretValue.FromUtf8("a"))], Ct));

        var error = e.Errors.Single();
        error.Field.ShouldBe("stores.test.passphrase");
        error.Location!.Line.ShouldBe(3);
        error.Message.ShouldContain("KS_SURELY_NOT_SET_4711 is not set");
        Directory.EnumerateFileSystemEntries(_dir.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingPassphraseFile_IsBadInput_NamingTheField()
    {
        var (store, _) = Build("type: bundle\npath: escrow.ksb\npassphrase: file:secrets/pass.txt");

        var e = await Should.ThrowAsync<BadInputException>(async () => await store!.ListAsync(Ct));

        e.Errors.Single().Field.ShouldBe("stores.test.passphrase");
        e.Errors.Single().Message.ShouldContain("no such file");
    }

    [Fact]
    public async Task PassphraseFile_WithTrailingNewline_OpensWhatTheVariableWithoutItWrote()
    {
        _dir.Write("pass.txt", "file passphrase\n");
        var variable = "KS_FILE_PASS_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, "file passphrase");
        var (fromFile, _) = Build("type: bundle\npath: escrow.ksb\npassphrase: file:pass.txt");
        await fromFile!.ApplyAsync([StoreChange.Set(SecretAddress.Parse("test:A"), SecretValue.FromUtf8("a"))], Ct);

        var (fromVariable, _) = Build($"type: bundle\npath: escrow.ksb\npassphrase: env:{variable}");

        (await fromVariable!.ListAsync(Ct)).Single().ToString().ShouldBe("test:A");
        Environment.SetEnvironmentVariable(variable, null);
    }

    [Theory]
    [InlineData("type: bundle\npath: escrow.ksb", "stores.test.passphrase", "is required")]
    [InlineData("type: bundle\npath: escrow.ksb\npassphrase: env:X\nrecipient: k.pem", "stores.test.passphrase", "not both")]
    [InlineData("type: bundle\npath: escrow.ksb\npassphrase: hunter2", "stores.test.passphrase", "never written inline")]
    [InlineData("type: bundle\npassphrase: env:X", "stores.test.path", "is required")]
    [InlineData("type: bundle\npath: ../outside.ksb\npassphrase: env:X", "stores.test.path", "leaves the workspace")]
    [InlineData("type: bundle\npath: escrow.ksb\npassphrase: env:X\niterations: 1000", "stores.test.iterations", "600000")]
    [InlineData("type: bundle\npath: escrow.ksb\npassphrase: env:X\npasphrase: env:Y", "stores.test.pasphrase", "unknown field")]
    public async Task BadSettings_AreReported_AndTheStoreRefusesToRun(string yaml, string field, string message)
    {
        var (store, errors) = Build(yaml);

        errors.Items.ShouldContain(e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));
        var e = await Should.ThrowAsync<BadInputException>(async () => await store!.ListAsync(Ct));
        e.Errors.ShouldContain(x => x.Field == field);
    }

    public void Dispose() => _dir.Dispose();
}
