using System.Text;

namespace Keyshift.Tests.Gateway;

/// <summary>One HTTP/1.1 message as it crossed the wire: the head's lines and the (decoded) body.</summary>
public sealed record RawMessage(string StartLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Head)
{
    public int Status => int.Parse(StartLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public IEnumerable<string> All(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Get(string name) => All(name).FirstOrDefault();
}
