using Keyshift.Secrets;

namespace Keyshift.Stores.Dotenv;

/// <summary>
/// A dotenv file (type <c>dotenv</c>, setting <c>path</c>) holding flat addresses <c>store:KEY</c>.
/// A missing file reads as empty and is created by the first write. Each batch is validated in full
/// and then written as one atomic rewrite that changes only the lines of the keys it touches.
/// </summary>
internal sealed class DotenvStore : Store
{
    public DotenvStore(StoreContext context)
        : base(context.Name)
    {
        context.Settings.AllowOnly("type", "path");
        FilePath = context.RequirePath("path");
    }

    public override string Type => "dotenv";

    public override StoreCapabilities Capabilities =>
        StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.Delete | StoreCapabilities.List;

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    private string Owner => $"store '{Name}'";

    /// <summary>The file parsed as it is now, for callers that need <c>file:line</c> of a key (scanner, planner).</summary>
    private readonly ParsedFileCache<DotenvFile> _cache = new();

    internal DotenvFile Load()
    {
        var content = File.Exists(FilePath) ? AtomicFile.Read(Name, FilePath) : [];
        return _cache.Get(content, c => DotenvParser.Parse(FilePath, c, Owner));
    }

    public override string? CheckAddress(SecretAddress address)
    {
        if (address.Store != Name)
            return $"address {address} is not in store '{Name}'";
        if (base.CheckAddress(address) is { } shape)
            return shape;
        if (!DotenvParser.IsValidKey(address.Path))
            return $"store '{Name}' (dotenv): '{address.Path}' is not a valid key (a letter or '_', then letters, digits, '_', '.' or '-')";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = Load();
        IReadOnlyList<SecretAddress> addresses = file.Entries.Select(e => new SecretAddress(Name, e.Key)).ToList();
        return ValueTask.FromResult(addresses);
    }

    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in addresses)
            ThrowIfBadAddress(address);
        var file = Load();
        var values = new Dictionary<SecretAddress, SecretValue>(addresses.Count);
        foreach (var address in addresses)
        {
            if (file.Find(address.Path) is { } entry)
                values[address] = file.ValueOf(entry);
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var positions = new Dictionary<string, int>(changes.Count, StringComparer.Ordinal);
        var edits = new List<KeyValuePair<string, SecretValue?>>(changes.Count);
        foreach (var change in changes)
        {
            ThrowIfBadAddress(change.Address);
            if (change.Value is { } value && DotenvQuoting.CannotHold(value) is { } why)
                throw new StoreException($"store '{Name}' (dotenv): cannot write {change.Address}: {why}");
            // The last change to a key wins; a new key is appended where it first appeared in the batch.
            var edit = new KeyValuePair<string, SecretValue?>(change.Address.Path, change.Value);
            if (positions.TryGetValue(change.Address.Path, out var at))
                edits[at] = edit;
            else
            {
                positions[change.Address.Path] = edits.Count;
                edits.Add(edit);
            }
        }
        if (edits.Count == 0)
            return ValueTask.CompletedTask;

        var file = Load();
        var rewritten = DotenvRewriter.Rewrite(file, edits);
        if (!rewritten.AsSpan().SequenceEqual(file.Content))
            AtomicFile.Write(this, FilePath, rewritten);
        return ValueTask.CompletedTask;
    }


}
