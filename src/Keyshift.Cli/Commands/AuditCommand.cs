using System.CommandLine;
using System.Text.Json;
using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.State;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift audit verify|export</c>: check the tamper-evident audit log and take it elsewhere.</summary>
internal static class AuditCommand
{
    public static Command Build()
    {
        var audit = new Command("audit", "Check and export the tamper-evident audit log (.keyshift/audit.jsonl).");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Export());
        return audit;
    }

    private static Command Verify()
    {
        var config = CommonOptions.Config();
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "A checkpoint kept outside the workspace (from `audit export --format checkpoint`, or a json/jsonl export): " +
                "the log must still hold that prefix unchanged, which catches truncation even when state.db was rolled back too.",
        };
        var format = CommonOptions.Format("table", "json");
        var command = new Command("verify",
            "Verify every line of the audit log: MAC chain, sequence, canonical form, and the head recorded in state.db. " +
            "Exit 0 intact, 1 tampered (the lines are named), 2 bad input.")
        {
            config, checkpoint, format,
        };
        command.SetAction(parse => Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var outside = parse.GetValue(checkpoint) is { } file ? AuditCheckpoint.ReadFile(file.FullName) : null;
            var result = Run(parse.GetValue(config)!, outside);
            if (parse.GetValue(format) == "json")
                WriteJson(output, result);
            else
                WriteTable(output, result);
            return result.Intact ? ExitCodes.Success : ExitCodes.Found;
        }));
        return command;
    }

    private static Command Export()
    {
        var config = CommonOptions.Config();
        var output = new Option<FileInfo?>("--out", "-o")
        {
            Description = "Write here (replaced atomically) instead of to standard output.",
        };
        var format = CommonOptions.Format([.. AuditExport.Formats]);
        var command = new Command("export",
            "Verify the audit log, then export its entries and the checkpoint they end at. " +
            "json: {checkpoint, entries}; jsonl: the log's lines byte for byte, then {\"checkpoint\":…}; checkpoint: {count, headMac, time} alone, " +
            "to keep in an outside store for `audit verify --checkpoint`. Exit 1 (nothing exported) when the log is not intact.")
        {
            config, output, format,
        };
        command.SetAction(parse => Guard(parse, () =>
        {
            var result = Run(parse.GetValue(config)!, null);
            if (!result.Intact)
            {
                var error = parse.InvocationConfiguration.Error;
                WriteTable(error, result);
                error.WriteLine("Nothing was exported: the log is not intact.");
                return ExitCodes.Found;
            }
            var checkpoint = new AuditCheckpoint(result.Entries, result.HeadMac, TimeProvider.System.GetUtcNow());
            var chosen = parse.GetValue(format)!;
            if (parse.GetValue(output) is { } file)
                WriteFile(file.FullName, stream => AuditExport.Write(stream, result, checkpoint, chosen));
            else
                WriteStdout(parse.InvocationConfiguration.Output, stream => AuditExport.Write(stream, result, checkpoint, chosen));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Maps bad input to exit 2 here, because System.CommandLine's default exception handler would otherwise
    /// print a stack trace and exit 1 — which means "tampered" for this command.
    /// </summary>
    private static int Guard(ParseResult parse, Func<int> action)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return action();
        }
        catch (BadInputException e)
        {
            foreach (var problem in e.Errors)
                error.WriteLine($"error: {problem}");
            error.WriteLine("Nothing was changed.");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    private static AuditVerification Run(FileInfo config, AuditCheckpoint? checkpoint)
    {
        if (!config.Exists)
            throw new BadInputException(null, "--config", $"{config.FullName} does not exist");
        var workspace = new Workspace(config.FullName);
        var logExists = File.Exists(workspace.AuditPath);
        if (logExists && !File.Exists(workspace.KeyPath))
            throw new BadInputException(null, "key", $"{workspace.KeyPath} does not exist: the audit MACs cannot be checked without the workspace key");
        // Without a log there is no MAC to check, so no key is created just to verify nothing.
        var key = logExists ? FingerprintKey.LoadOrCreate(workspace.KeyPath) : FingerprintKey.CreateRandom();
        AuditHead? head = null;
        if (File.Exists(workspace.StatePath))
        {
            using var db = StateDb.OpenSqlite(workspace.StatePath);
            head = AuditHead.Read(db);
        }
        return AuditVerifier.Verify(workspace.AuditPath, key, head, checkpoint);
    }

    private static void WriteTable(TextWriter output, AuditVerification result)
    {
        var head = result.HeadMac.Length > 0 ? $", head {result.HeadMac[..12]}…" : "";
        if (result.Intact)
            output.WriteLine($"audit log {result.Path}: intact, {result.Entries} entries{head}");
        else
            output.WriteLine($"audit log {result.Path}: TAMPERED, {result.ProblemCount} problem(s) in {result.Lines} lines");
        output.WriteLine(result.StateHead is { } s
            ? $"  state.db head: {s.Count} entries{(result.Intact ? ", matches" : "")}"
            : "  state.db head: none recorded (a cut-off tail cannot be detected from state.db)");
        if (result.Checkpoint is { } c)
            output.WriteLine($"  checkpoint of {c.Time:yyyy-MM-dd HH:mm:ss}Z: {c.Count} entries{(result.Intact ? ", matches" : "")}");
        if (result.Intact)
            return;
        output.WriteLine();
        output.WriteLine($"  {"LINE",-8} {"KIND",-15} PROBLEM");
        foreach (var problem in result.Problems)
            output.WriteLine($"  {problem.Line,-8} {Kind(problem.Kind),-15} {problem.Message}");
        if (result.ProblemCount > result.Problems.Count)
            output.WriteLine($"  … and {result.ProblemCount - result.Problems.Count} more");
    }

    private static void WriteJson(TextWriter output, AuditVerification result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("intact", result.Intact);
            writer.WriteString("path", result.Path);
            writer.WriteNumber("lines", result.Lines);
            writer.WriteNumber("entries", result.Entries);
            writer.WriteString("headMac", result.HeadMac);
            if (result.StateHead is { } s)
            {
                writer.WriteStartObject("stateHead");
                writer.WriteNumber("count", s.Count);
                writer.WriteString("headMac", s.HeadMac);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("stateHead");
            }
            writer.WritePropertyName("checkpoint");
            if (result.Checkpoint is { } c)
                c.WriteTo(writer);
            else
                writer.WriteNullValue();
            writer.WriteNumber("problemCount", result.ProblemCount);
            writer.WriteStartArray("problems");
            foreach (var problem in result.Problems)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", problem.Line);
                if (problem.Seq is { } seq)
                    writer.WriteNumber("seq", seq);
                else
                    writer.WriteNull("seq");
                writer.WriteString("kind", Kind(problem.Kind));
                writer.WriteString("message", problem.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Kind(AuditProblemKind kind) => kind switch
    {
        AuditProblemKind.UnknownLine => "unknown-line",
        AuditProblemKind.IncompleteLine => "incomplete-line",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static void WriteFile(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteStdout(TextWriter output, Action<Stream> write)
    {
        if (ReferenceEquals(output, Console.Out))
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            return;
        }
        // A test's writer: go through memory, the export is text.
        using var buffer = new MemoryStream();
        write(buffer);
        output.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
