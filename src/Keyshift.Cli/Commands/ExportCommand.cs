using System.CommandLine;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift export</c>: every secret of the chosen stores into a new encrypted bundle.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var to = new Option<FileInfo>("--to") { Description = "The bundle file to create; it must not exist yet.", Required = true };
        var stores = new Option<string[]>("--store") { Description = "A store to export (repeatable). Default: every store that can be listed and read." };
        var passphrase = new Option<string?>("--passphrase") { Description = "Seal with a passphrase from env:NAME or file:PATH (PBKDF2-HMAC-SHA256, 600,000 iterations)." };
        var recipient = new Option<FileInfo?>("--recipient") { Description = "Seal for the holder of this RSA or EC public key (PEM)." };
        var format = CommonOptions.Format("table", "json");
        var command = new Command("export", "Export every secret of the chosen stores into a new encrypted, integrity-checked bundle. Prints addresses and fingerprints, never values.")
        {
            config, to, stores, passphrase, recipient, format,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetRequiredValue(config), parse.GetRequiredValue(to), parse.GetValue(stores) ?? [],
            parse.GetValue(passphrase), parse.GetValue(recipient), parse.GetRequiredValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo configFile, FileInfo to, string[] names, string? passphrase, FileInfo? recipient,
        bool json, CancellationToken ct)
    {
        var config = ConfigLoader.Load(configFile.FullName);
        var selected = Select(config.Stores, names, configFile);
        var key = ExportKey(passphrase, recipient);
        if (to.Exists)
            throw new BadInputException(null, "--to", $"{to.FullName} already exists; export writes a new bundle");
        var fingerprints = WorkspaceKey(config.Workspace);
        var now = context.Time.GetUtcNow();
        var entries = new Dictionary<string, BundleEntry>(StringComparer.Ordinal);
        var rows = new List<(SecretAddress Address, string Key, Fingerprint Fingerprint)>();
        var counts = new List<(string Store, int Count)>();
        foreach (var store in selected)
        {
            var addresses = await store.ListAsync(ct);
            var values = await store.ReadAsync(addresses, ct);
            var count = 0;
            foreach (var address in addresses.Where(values.ContainsKey))
            {
                var entryKey = BundleEntryKey.For(address);
                entries[entryKey] = new BundleEntry(values[address], now, address.ToString());
                rows.Add((address, entryKey, fingerprints.Of(values[address])));
                count++;
            }
            counts.Add((store.Name, count));
        }
        BundleFile.Write(to.FullName, key, entries, previous: null);

        if (json)
        {
            context.WriteJson(new
            {
                bundle = to.FullName,
                sealedWith = key.Mode.ToString().ToLowerInvariant(),
                count = rows.Count,
                stores = counts.Select(c => new { name = c.Store, count = c.Count }),
                entries = rows.Select(r => new { address = r.Address.ToString(), key = r.Key, fingerprint = r.Fingerprint.Hex }),
            });
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Address", "Bundle key", "Fingerprint");
        foreach (var (address, entryKey, fingerprint) in rows)
            table.AddRow(Markup.Escape(address.ToString()), Markup.Escape(entryKey), fingerprint.Short);
        context.Console.Write(table);
        var perStore = string.Join(", ", counts.Select(c => $"{c.Store} {c.Count}"));
        context.Console.MarkupLine(Markup.Escape(
            $"Exported {rows.Count} secret(s) from {counts.Count} store(s) ({perStore}) into {to.FullName}, sealed with {Sealing(key)}."));
        return ExitCodes.Success;
    }

    private static List<Store> Select(IReadOnlyDictionary<string, Store> stores, string[] names, FileInfo config)
    {
        static bool Readable(Store s) =>
            s.Capabilities.HasFlag(StoreCapabilities.Read) && s.Capabilities.HasFlag(StoreCapabilities.List) && !s.Capabilities.HasFlag(StoreCapabilities.WriteOnly);
        var errors = new ErrorList();
        var selected = new List<Store>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!stores.TryGetValue(name, out var store))
                errors.Add(null, "--store", $"no store '{name}' in {config.Name}; known: {string.Join(", ", stores.Keys.Order(StringComparer.Ordinal))}");
            else if (!Readable(store))
                errors.Add(null, "--store", $"store '{name}' ({store.Type}) cannot be listed and read, so it cannot be exported");
            else
                selected.Add(store);
        }
        if (names.Length == 0)
            selected.AddRange(stores.Values.Where(Readable).OrderBy(s => s.Name, StringComparer.Ordinal));
        foreach (var store in selected)
        {
            if (BundleEntryKey.CheckStoreName(store.Name) is { } problem)
                errors.Add(null, "--store", problem);
        }
        errors.ThrowIfAny();
        return selected;
    }

    private static BundleKey ExportKey(string? passphrase, FileInfo? recipient)
    {
        if ((passphrase is null) == (recipient is null))
            throw new BadInputException(null, "--passphrase", "give exactly one of --passphrase env:NAME|file:PATH or --recipient PUBKEY.pem");
        if (passphrase is not null)
            return new PassphraseBundleKey(ReadPassphrase(passphrase));
        var key = KeyPem.TryLoad(recipient!.FullName, requirePrivate: false, out var problem)
            ?? throw new BadInputException(null, "--recipient", problem!);
        return new RecipientBundleKey(key, null, $"recipient {recipient.FullName}");
    }

    /// <summary>The bytes of a <c>--passphrase env:NAME|file:PATH</c> option (a <c>file:</c> path is relative to the current folder).</summary>
    internal static byte[] ReadPassphrase(string text)
    {
        var reference = CredentialReference.TryParse(text, out var problem) ?? throw new BadInputException(null, "--passphrase", problem!);
        return BundleCredential.Read(reference, Path.GetFullPath, null, "--passphrase");
    }

    /// <summary>
    /// The workspace's fingerprint key when it exists; otherwise a one-off key, because export and import
    /// leave a fresh workspace untouched (their fingerprints then compare only within the run).
    /// </summary>
    internal static FingerprintKey WorkspaceKey(Workspace workspace) =>
        File.Exists(workspace.KeyPath) ? FingerprintKey.LoadOrCreate(workspace.KeyPath) : FingerprintKey.CreateRandom();

    private static string Sealing(BundleKey key) => key.Mode switch
    {
        BundleKeyMode.Passphrase => "a passphrase",
        BundleKeyMode.Rsa => $"an RSA key ({key.Description})",
        BundleKeyMode.Ecdh => $"an EC key ({key.Description})",
        _ => "a raw key",
    };
}
