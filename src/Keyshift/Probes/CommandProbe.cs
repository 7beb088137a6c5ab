using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>
/// Runs a command (a list: program and arguments, no shell) with the credential's fields in environment variables
/// (<c>KEYSHIFT_USERNAME</c>, <c>KEYSHIFT_PASSWORD</c>, <c>KEYSHIFT_KEY</c>, <c>KEYSHIFT_CERTIFICATE</c>,
/// <c>KEYSHIFT_PRIVATE_KEY</c>), never on its command line. Exit 0 means success, <c>refusedExitCode</c> refused,
/// <c>unreachableExitCode</c> unreachable, anything else failed.
/// </summary>
public sealed class CommandProbe(string name, IReadOnlyList<string> command, string workingDirectory, int? refusedExitCode, int? unreachableExitCode, TimeSpan timeout) : Probe(name)
{
    public override string Type => "command";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "run", "refusedExitCode", "unreachableExitCode", "timeout", "expect");
        var run = s.StringList("run");
        if (run is null || run.Count == 0)
            s.Error("run", "is required: the program and its arguments as a list, e.g. run: [./check.sh, --quick]");
        return new CommandProbe(context.Name, run ?? [], context.Workspace.Root, s.Int("refusedExitCode", 1, 255), s.Int("unreachableExitCode", 1, 255), context.Settings.Duration("timeout") ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>The environment variable a credential field goes to (<c>privateKey</c> → <c>KEYSHIFT_PRIVATE_KEY</c>).</summary>
    public static string VariableFor(string field) =>
        "KEYSHIFT_" + string.Concat(field.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString()));

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
            info.ArgumentList.Add(argument);
        foreach (var (field, value) in credential.Fields)
            info.Environment[VariableFor(field)] = value.IsUtf8 ? value.RevealUtf8() : Convert.ToBase64String(value.Bytes);
        var what = string.Join(' ', command);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return (ProbeOutcome.Failed, $"'{command[0]}' cannot be started ({e.Message})");
        }
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (ProbeOutcome.Unreachable, $"'{what}' did not finish within {timeout.TotalSeconds:F0}s");
        }
        var code = process.ExitCode;
        var last = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var detail = last.Length == 0 ? "" : $": {(last.Length > 200 ? last[..200] : last)}";
        var exit = code.ToString(CultureInfo.InvariantCulture);
        if (code == 0)
            return (ProbeOutcome.Succeeded, $"'{what}' exited 0");
        if (code == refusedExitCode)
            return (ProbeOutcome.Refused, $"'{what}' exited {exit} (refused){detail}");
        if (code == unreachableExitCode)
            return (ProbeOutcome.Unreachable, $"'{what}' exited {exit} (unreachable){detail}");
        return (ProbeOutcome.Failed, $"'{what}' exited {exit}{detail}");
    }
}
