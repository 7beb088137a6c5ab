namespace Keyshift.Configuration;

/// <summary>Collects every input problem so one run reports them all at once.</summary>
public sealed class ErrorList
{
    private readonly List<InputError> _errors = [];

    public IReadOnlyList<InputError> Items => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(InputError error) => _errors.Add(error);

    public void Add(SourceLocation? location, string field, string message) => _errors.Add(new InputError(location, field, message));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
            throw new BadInputException(_errors.ToList());
    }
}
