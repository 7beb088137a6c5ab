using System.Collections.Immutable;
using Keyshift.Secrets;

namespace Keyshift.Audit;

/// <summary>
/// The evidence of an audit entry: a small name → text map built only from fingerprints, counts, flags,
/// addresses, states and ids. No member takes a <see cref="SecretValue"/> or an <c>object</c>, so a value
/// cannot be put here by accident; the only way to get a value's text is an explicit
/// <see cref="SecretValue.RevealUtf8"/>, which has no business near an audit entry.
/// </summary>
public sealed class AuditEvidence
{
    /// <summary>Longest text kept for one item: evidence is a summary, never a payload.</summary>
    public const int MaxTextLength = 512;

    private readonly ImmutableSortedDictionary<string, string> _items;

    private AuditEvidence(ImmutableSortedDictionary<string, string> items) => _items = items;

    public static AuditEvidence None { get; } = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    /// <summary>The items in canonical (ordinal) order of their names.</summary>
    public IReadOnlyDictionary<string, string> Items => _items;

    public int Count => _items.Count;

    public AuditEvidence With(string name, Fingerprint fingerprint) => Add(name, fingerprint.Hex);

    public AuditEvidence With(string name, long count) => Add(name, count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public AuditEvidence With(string name, bool holds) => Add(name, holds ? "true" : "false");

    public AuditEvidence With(string name, SecretAddress address) => Add(name, address.ToString());

    public AuditEvidence With(string name, DateTimeOffset time) => Add(name, AuditTime.Format(time));

    public AuditEvidence With(string name, TimeSpan duration) => Add(name, duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A state, gate outcome or other enumeration member, written by its name.</summary>
    public AuditEvidence With<TEnum>(string name, TEnum state)
        where TEnum : struct, Enum => Add(name, state.ToString());

    /// <summary>
    /// An id, gate name or reason that Keyshift itself composed (move ids, store names, "quietWindow held").
    /// Never pass text that came out of a store.
    /// </summary>
    public AuditEvidence WithText(string name, string text) => Add(name, text);

    internal static AuditEvidence FromItems(ImmutableSortedDictionary<string, string> items) => new(items);

    private AuditEvidence Add(string name, string text)
    {
        if (!IsName(name))
            throw new ArgumentException($"evidence name '{name}' must be 1-64 characters of A-Z a-z 0-9 . _ -", nameof(name));
        if (text.Length > MaxTextLength)
            throw new ArgumentException($"evidence '{name}' is longer than {MaxTextLength} characters", nameof(text));
        return new AuditEvidence(_items.SetItem(name, text));
    }

    internal static bool IsName(string name)
    {
        if (name.Length is 0 or > 64)
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return false;
        }
        return true;
    }
}
