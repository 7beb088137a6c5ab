using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>
/// Compares two schemas for the consumer's side of the exchange: what it sends must not be narrowed, what it receives
/// must not lose properties, become optional or change type. Named schema pairs are memoised per direction, which
/// both keeps large documents fast and stops recursive schemas (visited pairs end the walk).
/// </summary>
internal sealed partial class SchemaComparer
{
    private const int MaxDepth = 200;

    private readonly DiffContext _context;
    private readonly Dictionary<(ApiNode, ApiNode, Flow), SchemaComparison> _named = [];
    private int _depth;

    public SchemaComparer(DiffContext context) => _context = context;

    private ApiDocument OldDoc => _context.Old.Document;

    private ApiDocument NewDoc => _context.New.Document;

    /// <summary>Compares two schemas; <paramref name="nameReferences"/> false keeps the caller's subject for a top-level reference.</summary>
    public SchemaComparison Compare(ApiNode? oldRaw, ApiNode? newRaw, Flow flow, SchemaSubject subject, bool nameReferences = true)
    {
        var result = new SchemaComparison();
        if (!nameReferences)
        {
            var (o, n) = (OldDoc.Deref(oldRaw), NewDoc.Deref(newRaw));
            if (o is { IsObject: true } && n is { IsObject: true })
                Nodes(result, o, n, flow, subject);
            return result;
        }
        Into(result, oldRaw, newRaw, flow, subject);
        return result;
    }

    private void Into(SchemaComparison into, ApiNode? oldRaw, ApiNode? newRaw, Flow flow, SchemaSubject subject)
    {
        var o = OldDoc.Deref(oldRaw);
        var n = NewDoc.Deref(newRaw);
        if (o is not { IsObject: true } || n is not { IsObject: true } || _depth >= MaxDepth)
            return;
        var name = ApiDocument.ReferenceName(newRaw) ?? ApiDocument.ReferenceName(oldRaw);
        if (name is null)
        {
            Nodes(into, o, n, flow, subject);
            return;
        }
        if (!_named.TryGetValue((o, n, flow), out var shared))
        {
            shared = new SchemaComparison();
            _named[(o, n, flow)] = shared;
            Nodes(shared, o, n, flow, SchemaSubject.Schema(name));
        }
        into.Children.Add(shared);
    }

    private void Nodes(SchemaComparison into, ApiNode o, ApiNode n, Flow flow, SchemaSubject subject)
    {
        _depth++;
        try
        {
            if (flow == Flow.ConsumerSends)
                Narrowing(into, o, n, subject);
            else
                Widening(into, o, n, subject);
            Properties(into, o, n, flow, subject);
            Into(into, o["items"], n["items"], flow, subject.Items());
            Variants(into, o, n, flow, subject, "oneOf");
            Variants(into, o, n, flow, subject, "anyOf");
        }
        finally
        {
            _depth--;
        }
    }

    private void Variants(SchemaComparison into, ApiNode o, ApiNode n, Flow flow, SchemaSubject subject, string keyword)
    {
        if (o[keyword] is not { Kind: ApiNodeKind.Array } ov || n[keyword] is not { Kind: ApiNodeKind.Array } nv)
            return;
        var byName = nv.Items.Where(i => ApiDocument.ReferenceName(i) is not null).GroupBy(ApiDocument.ReferenceName).ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < ov.Items.Count; i++)
        {
            var oldVariant = ov.Items[i];
            var match = ApiDocument.ReferenceName(oldVariant) is { } name
                ? byName.GetValueOrDefault(name)
                : ov.Items.Count == nv.Items.Count ? nv.Items[i] : null;
            if (match is not null)
                Into(into, oldVariant, match, flow, subject);
        }
    }

    private void Emit(SchemaComparison into, ApiCheck check, string message, ApiNode? oldNode, ApiNode? newNode) =>
        into.Own.Add(_context.Add(_context.Create(check, message, oldNode, newNode)));
}
