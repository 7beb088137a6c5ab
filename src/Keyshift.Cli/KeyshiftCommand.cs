using System.CommandLine;
using Keyshift.Cli.Commands;
using Keyshift.Configuration;
using Keyshift.Stores;

namespace Keyshift.Cli;

/// <summary>The root command: every subcommand, and the mapping from failures to exit codes.</summary>
internal static class KeyshiftCommand
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "Keyshift moves the credentials of non-human identities and the integrations that use them to a new " +
            "place, without an outage and without leaving the old path alive.\n\n" +
            "Start with `keyshift demo`, then `keyshift init` in your own folder.\n" +
            "Exit codes: 0 success; 1 ran and found something (drift, gates not met, conflicts, findings); " +
            "2 bad input, nothing changed; 3 failed part-way, state kept, re-run resumes.");
        foreach (var command in Commands(context))
            root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return InitCommand.Create(context);
        yield return PlanCommand.Create(context);
        yield return ApplyCommand.Create(context);
        yield return StatusCommand.Create(context);
        yield return VerifyCommand.Create(context);
        yield return DriftCommand.Create(context);
        yield return ApproveCommand.Create(context);
        yield return RetireCommand.Create(context);
        yield return RollbackCommand.Create(context);
        yield return DemoCommand.Create(context);
        yield return AuditCommand.Build();
        yield return ApiCommand.Create(context);
        yield return ExportCommand.Create(context);
        yield return ImportCommand.Create(context);
        yield return ScanCommand.Create();
        yield return InventoryCommand.Create(context);
        yield return GatewayCommand.Create(context);
        yield return WatchCommand.Create(context);
        yield return UsageCommand.Create(context);
    }

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? time = null) =>
        RunAsync(args, new CliContext(stdout, stderr, time ?? TimeProvider.System, interactive: false));

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var (stdout, stderr) = (context.Output, context.Error);
        var root = Build(context);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                    await stderr.WriteLineAsync($"error: {error.Message}");
                await stderr.WriteLineAsync("Run with --help for usage.");
                return ExitCodes.BadInput;
            }
            return await parsed.InvokeAsync(config);
        }
        catch (BadInputException e)
        {
            foreach (var error in e.Errors)
                await stderr.WriteLineAsync($"error: {error}");
            await stderr.WriteLineAsync("Nothing was changed.");
            return ExitCodes.BadInput;
        }
        catch (StoreException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            await stderr.WriteLineAsync("Nothing was changed.");
            return ExitCodes.BadInput;
        }
        catch (Keyshift.Audit.AuditUnavailableException e)
        {
            // Fail closed: the step whose audit entry could not be written did not happen.
            await stderr.WriteLineAsync($"error: the audit log cannot be written or does not verify: {e.Message}");
            await stderr.WriteLineAsync("The step was not carried out (no audit entry, no change). Fix the audit log (keyshift audit verify) and re-run.");
            return ExitCodes.PartialFailure;
        }
        catch (Keyshift.Issuers.IssuerException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            await stderr.WriteLineAsync(e.ChangedNothing ? "Nothing was changed." : "The step failed part-way; state is kept and a re-run resumes.");
            return e.ChangedNothing ? ExitCodes.BadInput : ExitCodes.PartialFailure;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("Cancelled; state is kept and a re-run resumes.");
            return ExitCodes.PartialFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Only the type and message: Keyshift's own messages never carry values, and a stack trace helps nobody here.
            await stderr.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}");
            await stderr.WriteLineAsync("The command failed part-way; state is kept and a re-run resumes.");
            return ExitCodes.PartialFailure;
        }
        catch (Exception e)
        {
            // A defect. Its message is not printed: an exception from outside Keyshift may quote the data it failed on.
            var where = new System.Diagnostics.StackTrace(e).GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("Keyshift", StringComparison.Ordinal) == true);
            await stderr.WriteLineAsync($"error: internal error ({e.GetType().Name}{(where is null ? "" : $" in {where.DeclaringType!.FullName}.{where.Name}")}); please report it with the command you ran.");
            await stderr.WriteLineAsync("State is kept; every step already recorded stays recorded, and a re-run resumes.");
            return ExitCodes.PartialFailure;
        }
    }
}
