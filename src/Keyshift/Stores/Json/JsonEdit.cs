using Keyshift.Secrets;

namespace Keyshift.Stores.Json;

/// <summary>What a batch does to one member: write a string, descend into an object, or (neither) delete.</summary>
internal readonly record struct JsonEdit(SecretValue? Value, JsonEditObject? Child)
{
    public static JsonEdit Delete => default;

    public bool IsDelete => Value is null && Child is null;
}
