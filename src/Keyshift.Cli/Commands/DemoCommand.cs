using System.CommandLine;
using System.Reflection;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.State;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary>
/// <c>keyshift demo</c>: a complete, self-contained storage-replacement migration on real files with SQLite
/// state, through plan → stage → verify → cutover → dual-run → retire. Running it again is idempotent.
/// </summary>
internal static class DemoCommand
{
    private const string Prefix = "samples/payments/";

    public static Command Create(CliContext context)
    {
        var dir = new Option<DirectoryInfo>("--dir")
        {
            Description = "Folder for the demo workspace (created with sample files when missing; reused when present).",
            DefaultValueFactory = _ => new DirectoryInfo("keyshift-demo"),
        };
        var command = new Command("demo", "Run a complete migration on sample files: a legacy .env and a legacy YAML config holding secrets for two consumers " +
            "move into a governed store through plan, stage, verify, cutover, dual-run, approval and retire. Run it again: it is idempotent and says so.")
        {
            dir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!;
            var config = Path.Combine(folder.FullName, "keyshift.yaml");
            var console = context.Console;
            var fresh = !File.Exists(config);
            if (fresh)
                WriteSamples(folder.FullName);
            console.Write(new Rule($"[bold]Keyshift demo[/] — {Markup.Escape(folder.FullName)}").LeftJustified());
            if (!fresh)
            {
                using var migration = Migration.Open(config, context.Time);
                var plan = await Planner.CreateAsync(migration, ct);
                if (plan.Moves.All(m => m.Outcome == PlanOutcome.Done))
                {
                    console.MarkupLine("This demo workspace has run before and every move is already [green]retired[/]. Running again changes nothing — every step is idempotent:");
                    await Step(context, "keyshift plan", ["plan", "-c", config]);
                    await Step(context, "keyshift apply", ["apply", "-c", config]);
                    Summary(context, folder.FullName);
                    return ExitCodes.Success;
                }
                console.MarkupLine("Resuming the demo workspace where it stopped.");
            }
            Say(context, "1. Plan: read both sides once, classify each target (create / update / no-op / conflict). Nothing changes.");
            var code = await Step(context, "keyshift plan", ["plan", "-c", config]);
            if (code != ExitCodes.Success)
                return code;
            Say(context, "2. Apply up to cutover: stage (write to the governed store as pending), verify (compare keyed fingerprints), cutover (dual-run starts; the legacy files are untouched).");
            code = await Step(context, "keyshift apply --until cutover", ["apply", "-c", config, "--until", "cutover"]);
            if (code != ExitCodes.Success)
                return code;
            await Step(context, "keyshift status", ["status", "-c", config]);
            Say(context, "3. Retire without approval: the approvals gate holds every move back, with its evidence.");
            await Step(context, "keyshift retire", ["retire", "-c", config]);
            Say(context, "4. Approve, then retire: the gates hold, the source entries are deleted (comments and other keys kept).");
            await Step(context, "keyshift approve --all --by demo-approver", ["approve", "-c", config, "--all", "--by", "demo-approver"]);
            code = await Step(context, "keyshift retire", ["retire", "-c", config]);
            if (code != ExitCodes.Success)
                return code;
            await Step(context, "keyshift status", ["status", "-c", config]);
            await Step(context, "keyshift drift", ["drift", "-c", config]);
            Say(context, "5. Check the audit trail: every step above is an entry, hash-chained; an edited, deleted or reordered line is detected.");
            await Step(context, "keyshift audit verify", ["audit", "verify", "-c", config]);
            Summary(context, folder.FullName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Say(CliContext context, string text)
    {
        context.Console.WriteLine();
        context.Console.MarkupLine($"[bold]{Markup.Escape(text)}[/]");
    }

    private static async Task<int> Step(CliContext context, string title, string[] args)
    {
        context.Console.MarkupLine($"[grey]$ {Markup.Escape(title)}[/]");
        var code = await KeyshiftCommand.RunAsync(args, context);
        if (code is not ExitCodes.Success and not ExitCodes.Found)
            context.Console.MarkupLine($"[red]exit {code}[/]");
        return code;
    }

    private static void Summary(CliContext context, string folder)
    {
        var console = context.Console;
        console.WriteLine();
        console.Write(new Rule("[bold]Where to look[/]").LeftJustified());
        var table = new Table().Border(TableBorder.Rounded).AddColumns("What", "Where");
        table.AddRow("the config", Markup.Escape(Path.Combine(folder, "keyshift.yaml")));
        table.AddRow("the governed store (the secrets now)", Markup.Escape(Path.Combine(folder, "governed", "secrets.json")));
        table.AddRow("the legacy files (secrets removed, the rest kept)", Markup.Escape(Path.Combine(folder, "legacy")));
        table.AddRow("state (SQLite: moves, approvals — fingerprints, never values)", Markup.Escape(Path.Combine(folder, ".keyshift", "state.db")));
        table.AddRow("audit log (hash-chained; keyshift audit verify)", Markup.Escape(Path.Combine(folder, ".keyshift", "audit.jsonl")));
        table.AddRow("status as JSON", Markup.Escape($"keyshift status -c {Path.Combine(folder, "keyshift.yaml")} --format json"));
        console.Write(table);
    }

    private static void WriteSamples(string folder)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(folder, name[Prefix.Length..].Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var input = assembly.GetManifestResourceStream(name)!;
            using var output = File.Create(path);
            input.CopyTo(output);
        }
    }
}
