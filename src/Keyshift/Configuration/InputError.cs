namespace Keyshift.Configuration;

/// <summary>One problem with the user's input: where, which field, what is wrong. Never holds a secret value.</summary>
public sealed record InputError(SourceLocation? Location, string Field, string Message)
{
    public override string ToString()
    {
        var where = Location is null ? "" : $"{Location}: ";
        var field = string.IsNullOrEmpty(Field) ? "" : $"{Field}: ";
        return where + field + Message;
    }
}
