using System.Text;
using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Stores.Hardcoded;

/// <summary>
/// A file that holds secrets at known spans (type <c>hardcoded</c>: <c>path</c>, <c>values</c>, optional
/// <c>backup</c>): source code, properties, a password inside a URL. The config declares each value's line,
/// column, length and keyed fingerprint, never the value. Reading returns the bytes at a span only while
/// their fingerprint matches; deleting replaces the span by the reference <c>${NAME}</c>, which is how
/// cutover rewrites consumers. New values are refused: the only value a span takes back is its own (rollback).
/// </summary>
internal sealed class HardcodedStore : Store
{
    private readonly Workspace _workspace;
    private readonly Dictionary<string, HardcodedSpan> _spans;
    private FingerprintKey? _key;

    public HardcodedStore(StoreContext context)
        : base(context.Name)
    {
        context.Settings.AllowOnly("type", "path", "backup", "values");
        _workspace = context.Workspace;
        FilePath = context.RequirePath("path");
        Backup = context.Settings.Bool("backup") ?? false;
        _spans = HardcodedSpans.Read(context.Settings).ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public override string Type => "hardcoded";

    public override StoreCapabilities Capabilities => StoreCapabilities.Read | StoreCapabilities.Delete | StoreCapabilities.List;

    public string FilePath { get; }

    /// <summary>Keep <c>FILE.keyshift.bak</c> (the bytes before the first rewrite). Off by default: a backup keeps the old secret on disk.</summary>
    public bool Backup { get; }

    public string BackupPath => FilePath + ".keyshift.bak";

    /// <summary>The declared values (names and fingerprints, no values), for the cutover that rewrites them.</summary>
    public IEnumerable<HardcodedSpan> Declared => _spans.Values;

    private string Display
    {
        get
        {
            var relative = Path.GetRelativePath(_workspace.Root, FilePath).Replace('\\', '/');
            return relative.StartsWith("../", StringComparison.Ordinal) ? FilePath : relative;
        }
    }

    public override string? CheckAddress(SecretAddress address)
    {
        if (address.Store != Name)
            return $"address {address} is not in store '{Name}'";
        if (base.CheckAddress(address) is { } shape)
            return shape;
        if (!_spans.ContainsKey(address.Path))
            return $"store '{Name}' (hardcoded): '{address.Path}' is not declared under stores.{Name}.values";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (_, located) = Load();
        IReadOnlyList<SecretAddress> addresses = located.Where(l => l.State != SpanState.Rewritten).Select(l => new SecretAddress(Name, l.Span.Name)).ToList();
        return ValueTask.FromResult(addresses);
    }

    /// <summary>A rewritten span reads as absent (the value has left the file); a changed span is an error naming file:line:column.</summary>
    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in addresses)
            ThrowIfBadAddress(address);
        var (text, located) = Load();
        var byName = located.ToDictionary(l => l.Span.Name, StringComparer.Ordinal);
        var values = new Dictionary<SecretAddress, SecretValue>(addresses.Count);
        foreach (var address in addresses)
        {
            var span = byName[address.Path];
            if (span.State == SpanState.Changed)
                throw Changed(span);
            if (span.State == SpanState.Value)
                values[address] = SecretValue.FromUtf8(text.Substring(span.Start, span.Length));
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    /// <summary>
    /// Delete writes <c>${NAME}</c> over the value; set is accepted only to put back the declared value over
    /// its reference (rollback after cutover). The batch is checked in full, then written as one atomic rewrite.
    /// </summary>
    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var change in changes)
            ThrowIfBadAddress(change.Address);
        if (changes.Count == 0)
            return ValueTask.CompletedTask;
        var (text, located) = Load();
        var byName = located.ToDictionary(l => l.Span.Name, StringComparer.Ordinal);
        var edits = new Dictionary<string, (LocatedSpan Span, string With)>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var span = byName[change.Address.Path];
            if (span.State == SpanState.Changed)
                throw Changed(span);
            if (change.Value is { } value)
            {
                if (Key.Of(value).Hex != span.Span.Fingerprint || !value.IsUtf8)
                    throw new StoreException($"store '{Name}' (hardcoded): cannot write {change.Address}: a hardcoded store takes no new values, only its declared value back (rollback); write new values to a governed store");
                if (span.State == SpanState.Rewritten)
                    edits[span.Span.Name] = (span, value.RevealUtf8());
                else
                    edits.Remove(span.Span.Name);
            }
            else if (span.State == SpanState.Value)
            {
                edits[span.Span.Name] = (span, span.Span.Reference);
            }
            else
            {
                edits.Remove(span.Span.Name);
            }
        }
        if (edits.Count == 0)
            return ValueTask.CompletedTask;
        var rewritten = Encoding.UTF8.GetBytes(HardcodedText.Replace(text, edits.Values));
        if (Backup && !File.Exists(BackupPath))
            AtomicFile.Write(this, BackupPath, Encoding.UTF8.GetBytes(text));
        AtomicFile.Write(this, FilePath, rewritten);
        return ValueTask.CompletedTask;
    }

    private FingerprintKey Key
    {
        get
        {
            // The fingerprints in keyshift.yaml were made with the workspace key; any other key would call every span changed.
            if (_key is null)
            {
                if (!File.Exists(_workspace.KeyPath))
                    throw new StoreException($"store '{Name}' (hardcoded): the workspace key {_workspace.KeyPath} is missing, so the declared fingerprints cannot be checked; `keyshift init --from-scan` creates it with the config");
                _key = FingerprintKey.Load(_workspace.KeyPath);
            }
            return _key;
        }
    }

    private (string Text, List<LocatedSpan> Located) Load()
    {
        if (!File.Exists(FilePath))
            throw new StoreException($"store '{Name}' (hardcoded): {Display} does not exist");
        var bytes = AtomicFile.Read(Name, FilePath);
        string text;
        try
        {
            // Strict decoding: a rewrite re-encodes the text, which is byte-exact only for valid UTF-8.
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new StoreException($"store '{Name}' (hardcoded): {Display} is not valid UTF-8 text");
        }
        return (text, HardcodedText.Locate(text, [.. _spans.Values], Key));
    }

    private StoreException Changed(LocatedSpan span) =>
        new($"store '{Name}' (hardcoded): {Display}:{span.Span.Line}:{span.Span.Column}: {Name}:{span.Span.Name} no longer holds the declared value (fingerprint differs); the file changed since keyshift.yaml was written — update stores.{Name}.values.{span.Span.Name}");
}
