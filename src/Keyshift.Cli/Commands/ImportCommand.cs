using System.CommandLine;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary>
/// <c>keyshift import</c>: a bundle's entries into one configured store, refusing (exit 1, nothing
/// changed) when a target already holds a different value, unless <c>--overwrite</c>.
/// </summary>
internal static class ImportCommand
{
    private sealed record Row(string EntryKey, SecretAddress Target, SecretValue Value, string Outcome, Fingerprint Fingerprint, Fingerprint? Current);

    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var from = new Option<FileInfo>("--from") { Description = "The bundle file to read.", Required = true };
        var into = new Option<string>("--into") { Description = "The configured store to write the entries into.", Required = true };
        var stores = new Option<string[]>("--store") { Description = "Import only the entries exported from this store (repeatable)." };
        var passphrase = new Option<string?>("--passphrase") { Description = "The bundle's passphrase, from env:NAME or file:PATH." };
        var identity = new Option<FileInfo?>("--identity") { Description = "The private key (PEM) of the recipient the bundle was sealed for." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace target values that differ from the bundle's." };
        var dryRun = CommonOptions.DryRun();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("import", "Import a bundle's entries into a configured store. Refuses, changing nothing, when a target holds a different value unless --overwrite. Prints fingerprints, never values.")
        {
            config, from, into, stores, passphrase, identity, overwrite, dryRun, format,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetRequiredValue(config), parse.GetRequiredValue(from), parse.GetRequiredValue(into),
            parse.GetValue(stores) ?? [], parse.GetValue(passphrase), parse.GetValue(identity), parse.GetValue(overwrite), parse.GetValue(dryRun),
            parse.GetRequiredValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo configFile, FileInfo from, string into, string[] sources, string? passphrase,
        FileInfo? identity, bool overwrite, bool dryRun, bool json, CancellationToken ct)
    {
        var config = ConfigLoader.Load(configFile.FullName);
        if (!config.Stores.TryGetValue(into, out var target))
            throw new BadInputException(null, "--into", $"no store '{into}' in {configFile.Name}; known: {string.Join(", ", config.Stores.Keys.Order(StringComparer.Ordinal))}");
        if (!target.Capabilities.HasFlag(StoreCapabilities.Write))
            throw new BadInputException(null, "--into", $"store '{into}' ({target.Type}) cannot be written");
        if (!from.Exists)
            throw new BadInputException(null, "--from", $"{from.FullName} does not exist");
        var header = BundleFile.ReadHeader(from.FullName, "import")!;
        var key = ImportKey(header, passphrase, identity);
        var contents = BundleFile.Read(from.FullName, key, "import")!;
        var planned = Plan(contents, target, sources);
        var fingerprints = ExportCommand.WorkspaceKey(config.Workspace);
        var readable = target.Capabilities.HasFlag(StoreCapabilities.Read) && !target.Capabilities.HasFlag(StoreCapabilities.WriteOnly);
        var current = readable ? await target.ReadAsync(planned.Keys, ct) : new Dictionary<SecretAddress, SecretValue>();
        var rows = planned.Select(p =>
        {
            var (entryKey, value) = p.Value;
            var now = current.TryGetValue(p.Key, out var c) ? c : null;
            var outcome = now is null ? (readable ? "create" : overwrite ? "write" : "unknown")
                : now.Equals(value) ? "no-op"
                : overwrite ? "update" : "conflict";
            return new Row(entryKey, p.Key, value, outcome, fingerprints.Of(value), now is null ? null : fingerprints.Of(now));
        }).OrderBy(r => r.Target.ToString(), StringComparer.Ordinal).ToList();

        var blocked = rows.Count(r => r.Outcome is "conflict" or "unknown");
        var writes = rows.Where(r => r.Outcome is "create" or "update" or "write").ToList();
        string verdict;
        int exit;
        if (blocked > 0)
        {
            verdict = readable
                ? $"{blocked} target(s) in '{into}' hold a different value; nothing was changed. Re-run with --overwrite to replace them."
                : $"store '{into}' ({target.Type}) cannot be read back, so existing values cannot be compared; nothing was changed. Re-run with --overwrite to write anyway.";
            exit = ExitCodes.Found;
        }
        else if (dryRun)
        {
            verdict = $"Dry run: would write {writes.Count} of {rows.Count} entries into '{into}'; nothing was changed.";
            exit = ExitCodes.Success;
        }
        else
        {
            // A store validates the whole batch before writing: a StoreException means nothing changed (exit 2).
            if (writes.Count > 0)
                await target.ApplyAsync(writes.Select(r => StoreChange.Set(r.Target, r.Value)).ToList(), ct);
            verdict = $"Imported {writes.Count} of {rows.Count} entries from {from.FullName} into '{into}'.";
            exit = ExitCodes.Success;
        }

        if (json)
        {
            context.WriteJson(new
            {
                bundle = from.FullName,
                into,
                dryRun,
                written = exit == ExitCodes.Success && !dryRun,
                count = rows.Count,
                entries = rows.Select(r => new
                {
                    target = r.Target.ToString(), key = r.EntryKey, outcome = r.Outcome, fingerprint = r.Fingerprint.Hex, currentFingerprint = r.Current?.Hex,
                }),
            });
            return exit;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Target", "Bundle key", "Outcome", "Fingerprint", "Current");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Target.ToString()), Markup.Escape(r.EntryKey), r.Outcome, r.Fingerprint.Short, r.Current?.Short ?? "");
        context.Console.Write(table);
        context.Console.MarkupLine(Markup.Escape(verdict));
        return exit;
    }

    /// <summary>
    /// Each selected entry's target address: <c>INTO:</c> and the local part of the source address recorded
    /// by export (its key without the leading <c>STORE/</c>), or the entry key itself for entries with no source.
    /// </summary>
    private static Dictionary<SecretAddress, (string EntryKey, SecretValue Value)> Plan(BundleContents contents, Store target, string[] sources)
    {
        var errors = new ErrorList();
        var planned = new Dictionary<SecretAddress, (string EntryKey, SecretValue Value)>();
        foreach (var (entryKey, entry) in contents.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var source = entry.Source is null ? null : SecretAddress.TryParse(entry.Source, out _);
            if (sources.Length > 0 && (source is null || !sources.Contains(source.Store, StringComparer.Ordinal)))
                continue;
            var local = source?.Local ?? entryKey;
            var address = SecretAddress.TryParse($"{target.Name}:{local}", out var problem);
            problem ??= address is null ? null : target.CheckAddress(address);
            if (address is null || problem is not null)
            {
                errors.Add(null, "--into", $"bundle entry '{entryKey}': {problem}");
                continue;
            }
            if (planned.TryGetValue(address, out var earlier) && !earlier.Value.Equals(entry.Value))
                errors.Add(null, "--into", $"bundle entries '{earlier.EntryKey}' and '{entryKey}' both go to {address} with different values; choose one with --store");
            else
                planned.TryAdd(address, (entryKey, entry.Value));
        }
        if (sources.Length > 0 && planned.Count == 0 && !errors.Any)
            errors.Add(null, "--store", $"no entry of the bundle was exported from {string.Join(" or ", sources)}");
        errors.ThrowIfAny();
        return planned;
    }

    private static BundleKey ImportKey(BundleHeader header, string? passphrase, FileInfo? identity)
    {
        if (passphrase is not null && identity is not null)
            throw new BadInputException(null, "--passphrase", "give either --passphrase or --identity, not both");
        switch (header.Mode)
        {
            case BundleKeyMode.Passphrase when passphrase is not null:
                return new PassphraseBundleKey(ExportCommand.ReadPassphrase(passphrase));
            case BundleKeyMode.Passphrase:
                throw new BadInputException(null, "--passphrase", "the bundle is sealed with a passphrase: give --passphrase env:NAME or file:PATH");
            case BundleKeyMode.Rsa or BundleKeyMode.Ecdh when identity is not null:
                var key = KeyPem.TryLoad(identity.FullName, requirePrivate: true, out var problem)
                    ?? throw new BadInputException(null, "--identity", problem!);
                return new RecipientBundleKey(null, key, $"identity {identity.FullName}");
            case BundleKeyMode.Rsa or BundleKeyMode.Ecdh:
                throw new BadInputException(null, "--identity", $"the bundle is sealed with {header.SealedWith}: give --identity PRIVKEY.pem");
            default:
                throw new BadInputException(null, "--from", "the bundle is sealed with a raw program key (an engine escrow), which import cannot open");
        }
    }
}
