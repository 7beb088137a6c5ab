using System.CommandLine;
using Keyshift.Configuration;
using Keyshift.Inventory.Relocation;
using Keyshift.Secrets;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift init</c>: writes a commented starter <c>keyshift.yaml</c>, or with --from-scan a proposal that relocates hardcoded secrets.</summary>
internal static class InitCommand
{
    private const string Template = """
        # Keyshift migration — docs/configuration.md explains every field.
        version: 1
        name: my-migration
        mode: storage-replacement          # storage-replacement | credential-replacement | control-plane-replacement
        stores:
          legacy: { type: dotenv, path: .env }
          governed: { type: json, path: governed/secrets.json }
        consumers:
          my-service: { owner: my-team, environment: production }
        moves:
          - from: legacy:DB_PASSWORD               # the secret as it is today
            to: governed:my-service/db#password    # where it goes
            owner: my-team
            rotation: 30d
            consumers: [my-service]
          # - from: legacy:STRIPE_*                # a pattern: {name} is the whole matched key, {match} what * matched
          #   to: governed:my-service/stripe#{name}
        policy: { requireOwner: true, maxAge: 90d }
        cutover: { dualRun: 72h, quietWindow: 24h, approvals: 1 }
        # onConflict: overwrite                  # replace target values Keyshift did not write (rollback restores them)

        """;

    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var fromScan = new Option<string>("--from-scan") { Description = "Scan this file or folder and propose moves that relocate the hardcoded secrets it holds, plus keyshift-references.patch." };
        var into = new Option<string>("--into")
        {
            Description = "With --from-scan: the store that receives the secrets, TYPE:PATH (json, yaml, dotenv or k8s-secret; path relative to the workspace).",
            DefaultValueFactory = _ => "json:governed/secrets.json",
        };
        var apply = new Option<bool>("--apply") { Description = "With --from-scan: also rewrite now, in place, the files that hold only values no move relocates (TODOs; each keeps a .bak copy). Relocated values are rewritten at cutover." };
        var backup = new Option<bool>("--backup") { Description = "With --from-scan: hardcoded stores keep FILE.keyshift.bak when cutover rewrites them (the backup still holds the old values)." };
        var command = new Command("init", "Write a commented starter keyshift.yaml (never over an existing file), or with --from-scan a proposal built from a scan. Then: keyshift plan, keyshift apply --until cutover, keyshift status, keyshift retire.")
        {
            config, fromScan, into, apply, backup,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(config)!;
            if (file.Exists)
                throw new BadInputException(null, "--config", $"{file.FullName} already exists; Keyshift does not overwrite it");
            if (parse.GetValue(fromScan) is { } scanPath)
                return await FromScanAsync(context, file, scanPath, parse.GetValue(into)!, parse.GetValue(apply), parse.GetValue(backup), ct);
            Directory.CreateDirectory(file.DirectoryName!);
            File.WriteAllText(file.FullName, Template.ReplaceLineEndings("\n"));
            context.Console.MarkupLine($"Wrote {Markup.Escape(file.FullName)}. Edit the stores and moves, then run [bold]keyshift plan -c {Markup.Escape(file.Name)}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> FromScanAsync(CliContext context, FileInfo file, string scanPath, string into, bool apply, bool backup, CancellationToken ct)
    {
        var colon = into.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == into.Length - 1)
            throw new BadInputException(null, "--into", $"'{into}' is not TYPE:PATH (for example json:governed/secrets.json)");
        // The proposal's fingerprints must be the workspace's: hardcoded stores check their spans against them.
        var workspace = new Workspace(file.FullName);
        var keyExists = File.Exists(workspace.KeyPath);
        var request = new RelocationRequest
        {
            Key = keyExists ? FingerprintKey.Load(workspace.KeyPath) : FingerprintKey.CreateRandom(),
            Backup = backup,
            ScanPath = scanPath,
            ConfigPath = file.FullName,
            IntoType = into[..colon],
            IntoPath = into[(colon + 1)..],
            Apply = apply,
        };
        var patchPath = Path.Combine(file.DirectoryName!, ReferencePatch.FileName);
        if (File.Exists(patchPath))
            throw new BadInputException(null, "--from-scan", $"{patchPath} already exists; Keyshift does not overwrite it");
        var proposal = await RelocationPlanner.PlanAsync(request, ct);
        if (proposal.Moves.Count + proposal.Manual.Count == 0)
        {
            context.Console.WriteLine($"No hardcoded secrets in {scanPath}; nothing written.");
            return ExitCodes.Success;
        }
        var patch = ReferencePatch.Write(proposal, out var skipped);
        Directory.CreateDirectory(file.DirectoryName!);
        await File.WriteAllTextAsync(file.FullName, ProposalYaml.Write(proposal, request, ReferencePatch.FileName), ct);
        await File.WriteAllTextAsync(patchPath, patch, ct);
        if (!keyExists)
            request.Key.SaveNew(workspace.KeyPath);
        foreach (var note in skipped.Distinct())
            context.Error.WriteLine($"note: {note}");
        context.Console.MarkupLine($"Wrote {Markup.Escape(file.FullName)}: {proposal.Moves.Count} move(s) from {proposal.Sources.Count} store file(s) and {proposal.Hardcoded.Count} hardcoded store(s) (rewritten to ${{NAME}} at cutover), {proposal.Manual.Count} hardcoded secret(s) listed as TODO comments.");
        context.Console.MarkupLine($"Wrote {Markup.Escape(patchPath)}: the reference rewrite for review (values masked as ***).");
        if (apply)
        {
            foreach (var rewritten in ReferencePatch.Apply(proposal))
                context.Console.MarkupLine($"Rewrote {Markup.Escape(rewritten)} (backup: {Markup.Escape(rewritten)}.bak)");
        }
        context.Console.MarkupLine($"Next: [bold]keyshift plan -c {Markup.Escape(file.Name)}[/]");
        return ExitCodes.Success;
    }
}
