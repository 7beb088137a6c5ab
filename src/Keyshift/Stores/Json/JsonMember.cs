using System.Text.Json;

namespace Keyshift.Stores.Json;

/// <summary>
/// One <c>"name": value</c> member of a JSON object with the byte spans a rewrite splices at.
/// </summary>
/// <param name="Name">The member name, unescaped.</param>
/// <param name="Line">1-based line of the name, for <c>file:line</c>.</param>
/// <param name="NameStart">Offset of the name's opening quote.</param>
/// <param name="NameEnd">Offset just past the name's closing quote.</param>
/// <param name="ValueStart">Offset of the value's first byte.</param>
/// <param name="ValueEnd">Offset just past the value's last byte.</param>
/// <param name="Kind">The value's first token: String, Number, True, False, Null, StartObject or StartArray.</param>
/// <param name="ValueEscaped">Whether a string value holds escapes.</param>
/// <param name="Child">The object when the value is one.</param>
internal sealed record JsonMember(
    string Name,
    int Line,
    int NameStart,
    int NameEnd,
    int ValueStart,
    int ValueEnd,
    JsonTokenType Kind,
    bool ValueEscaped,
    JsonObjectNode? Child)
{
    /// <summary>Anything but an object is a leaf; non-string leaves read as their JSON text.</summary>
    public bool IsLeaf => Child is null;
}
