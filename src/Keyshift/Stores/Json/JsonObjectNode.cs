namespace Keyshift.Stores.Json;

/// <summary>A JSON object in the file: where its braces are and its members in order, indexed by name.</summary>
internal sealed class JsonObjectNode(int open)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Offset of <c>{</c>.</summary>
    public int Open { get; } = open;

    /// <summary>Offset of <c>}</c>.</summary>
    public int Close { get; set; }

    public List<JsonMember> Members { get; } = [];

    public JsonMember? Find(string name) => _index.TryGetValue(name, out var i) ? Members[i] : null;

    /// <summary>The position of the member called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Adds a member; returns the earlier member of the same name instead when there is one.</summary>
    public JsonMember? TryAdd(JsonMember member)
    {
        if (!_index.TryAdd(member.Name, Members.Count))
            return Members[_index[member.Name]];
        Members.Add(member);
        return null;
    }
}
