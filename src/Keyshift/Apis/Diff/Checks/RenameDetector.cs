using Keyshift.Apis.Contracts;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>
/// Pairs a removed operation with an added one that is the same operation under a new path: the same operationId,
/// or failing that the same method and shape (parameters, body, responses, schema names) and no other candidate.
/// </summary>
internal static class RenameDetector
{
    public static List<(ApiOperation Old, ApiOperation New)> Match(IReadOnlyList<ApiOperation> removed, IReadOnlyList<ApiOperation> added)
    {
        var pairs = new List<(ApiOperation, ApiOperation)>();
        var taken = new HashSet<ApiOperation>(ReferenceEqualityComparer.Instance);
        var byId = added.Where(a => a.OperationId is not null).GroupBy(a => a.OperationId!).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var unmatched = new List<ApiOperation>();
        foreach (var old in removed)
        {
            if (old.OperationId is not null && byId.TryGetValue(old.OperationId, out var @new) && @new.Kind == old.Kind && taken.Add(@new))
                pairs.Add((old, @new));
            else
                unmatched.Add(old);
        }
        var remaining = added.Where(a => !taken.Contains(a)).ToList();
        var newShapes = remaining.GroupBy(Shape).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var oldShapes = unmatched.GroupBy(Shape).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var old in unmatched)
        {
            var shape = Shape(old);
            if (oldShapes.Contains(shape) && newShapes.TryGetValue(shape, out var @new) && @new.Kind == old.Kind)
                pairs.Add((old, @new));
        }
        return pairs;
    }

    private static bool Named(string part) => part.Split(',', ';').Any(p => p.Contains('=', StringComparison.Ordinal) && !p.EndsWith('='));

    /// <summary>A signature of what a client sends and gets; path parameter names and the path itself are left out.</summary>
    private static string Shape(ApiOperation operation)
    {
        var parameters = operation.Parameters.Where(p => p.In != "path").Select(p => $"{p.In}:{p.Name}:{p.Required}").Order(StringComparer.Ordinal);
        var pathParameters = operation.Parameters.Count(p => p.In == "path");
        var body = operation.RequestBody is null ? "-" : string.Join(",", operation.RequestBody.Content.Select(c => $"{c.Key}={Documents.ApiDocument.ReferenceName(c.Value.Schema)}").Order(StringComparer.Ordinal));
        var responses = operation.Responses.Select(r => $"{r.Key}:{string.Join(",", r.Value.Content.Select(c => $"{c.Key}={Documents.ApiDocument.ReferenceName(c.Value.Schema)}").Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal);
        // Too little to recognise an operation by (a bare GET with a 200): never guess a rename from that.
        if (!parameters.Any() && !Named(body) && !responses.Any(Named))
            return "unique " + operation.Key;
        return $"{operation.Method}|{pathParameters}|{string.Join(";", parameters)}|{body}|{string.Join(";", responses)}";
    }
}
