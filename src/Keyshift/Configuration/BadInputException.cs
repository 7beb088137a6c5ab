namespace Keyshift.Configuration;

/// <summary>Bad input (exit code 2): every problem found, each naming file, line and field. Nothing was changed.</summary>
public sealed class BadInputException : Exception
{
    public BadInputException(IReadOnlyList<InputError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public BadInputException(SourceLocation? location, string field, string message)
        : this([new InputError(location, field, message)])
    {
    }

    public BadInputException(string message)
        : this([new InputError(null, "", message)])
    {
    }

    public IReadOnlyList<InputError> Errors { get; }
}
