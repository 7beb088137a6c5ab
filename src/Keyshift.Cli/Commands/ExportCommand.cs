using System.CommandLine;
using System.Text.Json;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;
using Spectre.Console;
using Spectre.Console.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift export</c>: every secret of the chosen stores into a new encrypted bundle.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var to = new Option<FileInfo>("--to") { Description = "The bundle file to create; it must not exist yet.", Required = true };
        var stores = new Option<string[]>("--store") { Description = "A store to export (repeatable). Default: every readable store." };
        var passphrase = new Option<string?>("--passphrase") { Description = "Seal with a passphrase from env:NAME or file:PATH (PBKDF2-HMAC-SHA256, 600,000 iterations)." };
        var recipient = new Option<FileInfo?>("--recipient") { Description = "Seal for the holder of this RSA or EC public key (PEM)." };
        var format = CommonOptions.Format("table", "json");
        var command = new Command("export", "Export every secret of the chosen stores into a new encrypted, integrity-checked bundle. Prints addresses and fingerprints, never values.")
        {
            config, to, stores, passphrase, recipient, format,
        };
        command.SetAction((parse, ct) => Guarded(parse, () => RunAsync(
            parse.GetRequiredValue(config), parse.GetRequiredValue(to), parse.GetValue(stores) ?? [], parse.GetValue(passphrase),
            parse.GetValue(recipient), parse.GetRequiredValue(format), parse.InvocationConfiguration.Output, ct)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo config, FileInfo to, string[] names, string? passphrase, FileInfo? recipient,
        string format, TextWriter output, CancellationToken ct)
    {
        var stores = LoadStores(config);
        var selected = Select(stores, names, config);
        var key = ExportKey(passphrase, recipient);
        if (to.Exists)
            throw new BadInputException(null, "--to", $"{to.FullName} already exists; export writes a new bundle");
        var workspace = new Workspace(config.FullName);
        var fingerprints = FingerprintKey.LoadOrCreate(workspace.KeyPath);
        var now = TimeProvider.System.GetUtcNow();
        var entries = new Dictionary<string, BundleEntry>(StringComparer.Ordinal);
        var rows = new List<(SecretAddress Address, string Key, Fingerprint Fingerprint)>();
        var counts = new List<(string Store, int Count)>();
        foreach (var store in selected)
        {
            var addresses = await store.ListAsync(ct);
            var values = await store.ReadAsync(addresses, ct);
            foreach (var address in addresses.Where(values.ContainsKey))
            {
                var entryKey = BundleEntryKey.For(address);
                entries[entryKey] = new BundleEntry(values[address], now, address.ToString());
                rows.Add((address, entryKey, fingerprints.Of(values[address])));
            }
            counts.Add((store.Name, addresses.Count(values.ContainsKey)));
        }
        BundleFile.Write(to.FullName, key, entries, previous: null);

        var summary = $"Exported {rows.Count} secret(s) from {counts.Count} store(s) into {to.FullName}, sealed with {Sealing(key)}.";
        if (format == "json")
            await WriteJsonAsync(output, to.FullName, key, counts, rows);
        else
        {
            var console = Console(output);
            console.WriteLine(summary);
            console.Write(Table(["address", "bundle key", "fingerprint"], rows.Select(r => new[] { r.Address.ToString(), r.Key, r.Fingerprint.Short })));
            console.Write(Table(["store", "secrets"], counts.Select(c => new[] { c.Store, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        }
        return ExitCodes.Success;
    }

    private static async Task WriteJsonAsync(TextWriter output, string path, BundleKey key, List<(string Store, int Count)> counts,
        List<(SecretAddress Address, string Key, Fingerprint Fingerprint)> rows)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("bundle", path);
            json.WriteString("sealedWith", key.Mode.ToString().ToLowerInvariant());
            json.WriteNumber("count", rows.Count);
            json.WriteStartArray("stores");
            foreach (var (store, count) in counts)
            {
                json.WriteStartObject();
                json.WriteString("name", store);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("entries");
            foreach (var (address, entryKey, fingerprint) in rows)
            {
                json.WriteStartObject();
                json.WriteString("address", address.ToString());
                json.WriteString("key", entryKey);
                json.WriteString("fingerprint", fingerprint.Hex);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
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
                errors.Add(null, "--store", $"no store '{name}' in {config.FullName}; known: {string.Join(", ", stores.Keys.Order(StringComparer.Ordinal))}");
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

    internal static string Sealing(BundleKey key) => key.Mode switch
    {
        BundleKeyMode.Passphrase => "a passphrase",
        BundleKeyMode.Rsa => $"an RSA key ({key.Description})",
        BundleKeyMode.Ecdh => $"an EC key ({key.Description})",
        _ => "a raw key",
    };

    /// <summary>
    /// The stores of a keyshift.yaml. A stand-in for the shared config loader: it reads only <c>stores</c>,
    /// building each through <see cref="StoreTypes"/> and reporting every problem with file, line and field.
    /// </summary>
    internal static IReadOnlyDictionary<string, Store> LoadStores(FileInfo config)
    {
        if (!config.Exists)
            throw new BadInputException(null, "--config", $"{config.FullName} does not exist");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(config.FullName);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new BadInputException(new SourceLocation(config.FullName, (int)e.Start.Line, (int)e.Start.Column), "", e.Message);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException(new SourceLocation(config.FullName, 1), "", "expected a mapping with a 'stores' section");
        var errors = new ErrorList();
        var workspace = new Workspace(config.FullName);
        var top = new Settings(root, config.FullName, "", errors);
        var stores = new Dictionary<string, Store>(StringComparer.Ordinal);
        if (top.Section("stores") is { } section)
        {
            foreach (var name in section.Keys)
            {
                if (section.Section(name) is not { } settings)
                    continue;
                var type = settings.RequireString("type");
                if (type.Length > 0 && StoreTypes.Create(type, new StoreContext(name, settings, workspace)) is { } store)
                    stores[name] = store;
            }
        }
        else
            errors.Add(top.Location, "stores", "is required");
        errors.ThrowIfAny();
        return stores;
    }

    internal static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        return console;
    }

    internal static Table Table(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
            table.AddColumn(new TableColumn(new Text(header)));
        foreach (var row in rows)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        return table;
    }

    /// <summary>
    /// Maps bad input and store refusals to their exit codes here, because System.CommandLine's default
    /// exception handler would otherwise catch them first and exit 1.
    /// </summary>
    internal static async Task<int> Guarded(ParseResult parse, Func<Task<int>> run)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await run();
        }
        catch (BadInputException e)
        {
            foreach (var item in e.Errors)
                await error.WriteLineAsync($"error: {item}");
            await error.WriteLineAsync("Nothing was changed.");
            return ExitCodes.BadInput;
        }
        catch (StoreException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
