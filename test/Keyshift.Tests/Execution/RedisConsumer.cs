using System.Diagnostics;
using Keyshift.Tests.Issuers;

namespace Keyshift.Tests.Execution;

/// <summary>
/// A consumer process of the real Redis: <c>redis-cli</c> authenticated as one ACL user, holding its connection open
/// while its stdin is (the password goes through REDISCLI_AUTH, never the command line).
/// </summary>
internal sealed class RedisConsumer : IDisposable
{
    private readonly Process _process;

    private RedisConsumer(Process process) => _process = process;

    public static RedisConsumer Start(string user, string password)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", TestServers.RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", user })
            info.ArgumentList.Add(arg);
        info.Environment["REDISCLI_AUTH"] = password;
        return new RedisConsumer(Process.Start(info)!);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
