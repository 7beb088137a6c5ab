using System.Diagnostics;
using System.Text;

namespace Keyshift.Scanning.Sources;

/// <summary>Runs <c>git</c> in a folder and streams its output; the scanner's only way into a repository.</summary>
internal sealed class GitCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private GitCommand(Process process) => _process = process;

    public Stream Output => _process.StandardOutput.BaseStream;

    public static GitCommand Start(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        // Settings that change git's output format must not come from the user's config.
        foreach (var argument in (string[])["-c", "core.quotePath=false", "-c", "color.ui=never", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", .. arguments])
            info.ArgumentList.Add(argument);
        info.Environment["GIT_PAGER"] = "cat";
        info.Environment["LC_ALL"] = "C";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start git");
        var command = new GitCommand(process);
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (command._errors)
            {
                if (e.Data is not null && command._errors.Length < 4096)
                    command._errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Runs git to the end and returns its exit code and standard output (for short answers only).</summary>
    public static (int ExitCode, string Output, string Errors) Run(string directory, params string[] arguments)
    {
        try
        {
            using var git = Start(directory, arguments);
            using var reader = new StreamReader(git.Output, Encoding.UTF8);
            var output = reader.ReadToEnd();
            return (git.Wait(), output, git.Errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"git could not be run: {e.Message}");
        }
    }

    public int Wait()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string Errors
    {
        get
        {
            lock (_errors)
                return _errors.ToString().Trim();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
