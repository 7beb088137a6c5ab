namespace Keyshift.Issuers.Redis;

/// <summary>One RESP2 reply: a simple string, an error, an integer, a bulk string (null when absent) or an array.</summary>
public sealed record RespValue(char Kind, string? Text, long Integer = 0, IReadOnlyList<RespValue>? Items = null)
{
    public bool IsError => Kind == '-';

    public bool IsNull => Text is null && Items is null && Kind is '$' or '*';

    public override string ToString() => Kind switch
    {
        '*' => Items is null ? "(nil)" : $"[{string.Join(", ", Items)}]",
        ':' => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Text ?? "(nil)",
    };
}
