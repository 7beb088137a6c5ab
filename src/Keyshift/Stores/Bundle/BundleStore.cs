using System.Text;
using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// An encrypted, integrity-checked file of secrets (type <c>bundle</c>) for export, import and escrow.
/// An entry's key is the local part of its address, flat (<c>KEY</c>) or nested (<c>a/b#key</c>), so
/// any address another store uses can be kept here. Every batch re-encrypts the whole file atomically.
/// </summary>
internal sealed class BundleStore : Store
{
    private readonly string _path;
    private readonly Lazy<BundleKey> _key;
    private readonly IReadOnlyList<InputError> _errors;
    private readonly TimeProvider _time;

    public BundleStore(StoreContext context)
        : this(context, TimeProvider.System)
    {
    }

    public BundleStore(StoreContext context, TimeProvider time)
        : base(context.Name)
    {
        var settings = context.Settings;
        var before = settings.Errors.Items.Count;
        var options = BundleStoreOptions.Read(context);
        // The loader reports every store's problems at once; a store built without one still refuses to run with its own.
        _errors = settings.Errors.Items.Skip(before).ToList();
        _path = options.Path;
        // PublicationOnly: a missing variable is not cached as a failure, so setting it and retrying works.
        _key = new Lazy<BundleKey>(() => options.CreateKey(settings, context.Workspace), LazyThreadSafetyMode.PublicationOnly);
        _time = time;
    }

    /// <summary>A bundle keyed by the program, such as the engine's escrow with a key from the workspace.</summary>
    public BundleStore(string name, string path, BundleKey key, TimeProvider time)
        : base(name)
    {
        _path = Path.GetFullPath(path);
        _key = new Lazy<BundleKey>(key);
        _errors = [];
        _time = time;
    }

    public override string Type => "bundle";

    public override StoreCapabilities Capabilities =>
        StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.Delete | StoreCapabilities.List |
        StoreCapabilities.Binary | StoreCapabilities.Nested;

    public string FilePath => _path;

    /// <summary>Both flat <c>KEY</c> and nested <c>a/b#key</c> are fine; the entry key is the address's local part.</summary>
    public override string? CheckAddress(SecretAddress address)
    {
        if (address.Store != Name)
            return $"store '{Name}' (bundle) cannot hold {address}: it names store '{address.Store}'";
        if (address.Path.Contains('#', StringComparison.Ordinal) || address.Key?.Contains('#', StringComparison.Ordinal) == true)
            return $"store '{Name}' (bundle): {address} has '#' inside its path or key";
        if (Encoding.UTF8.GetByteCount(address.Local) > ushort.MaxValue)
            return $"store '{Name}' (bundle): the address starting {address.ToString()[..40]} is longer than {ushort.MaxValue} bytes";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = Load()?.Entries;
        IReadOnlyList<SecretAddress> list = entries is null ? [] : entries.Keys.Order(StringComparer.Ordinal).Select(AddressOf).ToList();
        return ValueTask.FromResult(list);
    }

    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        var entries = Load()?.Entries;
        var values = new Dictionary<SecretAddress, SecretValue>();
        foreach (var address in addresses)
        {
            if (entries is not null && entries.TryGetValue(address.Local, out var entry))
                values[address] = entry.Value;
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        var problems = changes.Select(c => CheckAddress(c.Address)).OfType<string>().ToList();
        if (problems.Count > 0)
            throw new StoreException(string.Join(Environment.NewLine, problems));
        var contents = Load();
        var entries = contents?.Entries ?? new Dictionary<string, BundleEntry>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var changed = false;
        foreach (var change in changes)
        {
            if (change.Value is null)
                changed |= entries.Remove(change.Address.Local);
            else
            {
                entries[change.Address.Local] = new BundleEntry(change.Value, now, null);
                changed = true;
            }
        }
        if (changed)
            Write(entries, contents?.Header);
        return ValueTask.CompletedTask;
    }

    /// <summary>Every entry with its metadata, or null when the file does not exist yet.</summary>
    public BundleContents? Load()
    {
        ThrowIfMisconfigured();
        return BundleFile.Read(_path, _key.Value, Owner);
    }

    /// <summary>Replaces the whole file with these entries (export writes its metadata this way).</summary>
    public void Write(IReadOnlyDictionary<string, BundleEntry> entries, BundleHeader? previous = null)
    {
        ThrowIfMisconfigured();
        BundleFile.Write(_path, _key.Value, entries, previous);
    }

    private string Owner => $"store '{Name}'";

    private SecretAddress AddressOf(string key) =>
        SecretAddress.TryParse($"{Name}:{key}", out _) ?? new SecretAddress(Name, key);

    private void ThrowIfMisconfigured()
    {
        if (_errors.Count > 0)
            throw new BadInputException(_errors);
    }
}
