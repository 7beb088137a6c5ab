using Keyshift.Secrets;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Secrets;

public sealed class FingerprintKeyTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task DamagedKeyFile_IsAClearError_NotACrash()
    {
        var config = Workspaces.Create(_dir);
        _dir.Write(".keyshift/key", "3f2a");
        var result = await CliRunner.RunAsync("plan", "-c", config);
        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("workspace key is damaged");
    }

    [Fact]
    public void SaveNew_WritesOwnerOnlyKey_AndNeverReplacesAnExistingOne()
    {
        var path = _dir.File(".keyshift/key");
        var key = FingerprintKey.CreateRandom();
        key.SaveNew(path);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        FingerprintKey.Load(path).Of(SecretValue.FromUtf8("x")).ShouldBe(key.Of(SecretValue.FromUtf8("x")));
        Should.Throw<IOException>(() => FingerprintKey.CreateRandom().SaveNew(path));
        FingerprintKey.Load(path).Of(SecretValue.FromUtf8("x")).ShouldBe(key.Of(SecretValue.FromUtf8("x")));
        Directory.EnumerateFiles(_dir.File(".keyshift"), "*.tmp").ShouldBeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
