namespace Keyshift.Apis.Diff;

/// <summary>One change found by a check, located in the old and/or new document, with the operations it affects.</summary>
internal sealed class ApiChange
{
    private readonly SortedSet<string> _operations = new(StringComparer.Ordinal);

    public ApiChange(ApiCheck check, string message, ApiLocation? old, ApiLocation? @new)
    {
        Check = check;
        Severity = check.Severity;
        Message = message;
        Old = old;
        New = @new;
    }

    public ApiCheck Check { get; }

    /// <summary>The check's severity unless a rules file overrides it.</summary>
    public Severity Severity { get; set; }

    public string Message { get; }

    public ApiLocation? Old { get; }

    public ApiLocation? New { get; }

    /// <summary>Operations affected (<c>GET /charges/{id}</c>, <c>webhook orderPaid</c>), as named in either document.</summary>
    public IReadOnlyCollection<string> Operations => _operations;

    /// <summary>Where SARIF and editors should point: the new document, or the old one for removals.</summary>
    public ApiLocation Primary => Check.Removal ? Old ?? New! : New ?? Old!;

    public void AddOperation(string key) => _operations.Add(key);

    public string MergeKey => $"{Check.Id}\u0001{Old?.Pointer}\u0001{New?.Pointer}\u0001{Message}";
}
