using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;

namespace Keyshift.Scanning.Baselines;

/// <summary>
/// Known secret findings to suppress, by the keyed fingerprint of the secret's content (never its position):
/// the same secret moved to another line stays suppressed, a new secret on an old line is reported. The file
/// carries its own random salt, from which the fingerprint key is derived, so it works on every clone and in CI
/// whatever the workspace key. Like any salted hash, it lets whoever holds it test guesses of a weak secret.
/// </summary>
internal sealed class Baseline
{
    private const int Version = 1;
    private static readonly byte[] KeyLabel = "keyshift/scan-baseline/v1"u8.ToArray();

    private readonly HashSet<string> _fingerprints;

    private Baseline(byte[] salt, HashSet<string> fingerprints)
    {
        Salt = salt;
        _fingerprints = fingerprints;
        Key = new FingerprintKey(HMACSHA256.HashData(salt, KeyLabel));
    }

    public byte[] Salt { get; }

    /// <summary>The fingerprint key derived from <see cref="Salt"/>.</summary>
    public FingerprintKey Key { get; }

    public int Count => _fingerprints.Count;

    public static Baseline CreateEmpty() => new(RandomNumberGenerator.GetBytes(32), []);

    public bool Suppresses(Finding finding) =>
        finding.Kind == FindingKind.Secret && finding.BaselineFingerprint is { } fingerprint && _fingerprints.Contains(fingerprint.Hex);

    public static Baseline Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(new SourceLocation(path, 1), "baseline", $"cannot read: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new BadInputException(new SourceLocation(path, (int)(e.LineNumber ?? 0) + 1), "baseline", "not valid JSON");
        }
        var at = new SourceLocation(path, 1);
        if (root is not JsonObject obj || obj["version"]?.GetValueKind() != JsonValueKind.Number || obj["version"]!.GetValue<int>() != Version)
            throw new BadInputException(at, "version", $"expected a Keyshift scan baseline with version {Version}");
        byte[] salt;
        try
        {
            salt = Convert.FromHexString(obj["salt"]?.GetValue<string>() ?? "");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new BadInputException(at, "salt", "expected 64 hex digits");
        }
        if (salt.Length != 32)
            throw new BadInputException(at, "salt", "expected 64 hex digits");
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        if (obj["findings"] is JsonArray findings)
        {
            foreach (var item in findings)
            {
                if (item?["fingerprint"] is JsonValue value && value.TryGetValue<string>(out var hex) && hex.Length == 64)
                    fingerprints.Add(hex.ToLowerInvariant());
                else
                    throw new BadInputException(at, "findings", "every finding needs a 64-hex-digit fingerprint");
            }
        }
        return new Baseline(salt, fingerprints);
    }

    /// <summary>Writes the secret findings (fingerprinted under this baseline's key) to <paramref name="path"/>.</summary>
    public void Write(string path, IEnumerable<Finding> findings)
    {
        var items = new JsonArray();
        foreach (var finding in findings
            .Where(f => f.Kind == FindingKind.Secret && f.BaselineFingerprint is not null)
            .DistinctBy(f => f.BaselineFingerprint!.Value.Hex)
            .OrderBy(f => f.Location.Path, StringComparer.Ordinal).ThenBy(f => f.Location.Line))
        {
            items.Add(new JsonObject
            {
                ["rule"] = finding.RuleId,
                ["fingerprint"] = finding.BaselineFingerprint!.Value.Hex,
                ["location"] = finding.Location.ToString(),
            });
        }
        var root = new JsonObject
        {
            ["version"] = Version,
            ["tool"] = "keyshift scan",
            ["salt"] = Convert.ToHexStringLower(Salt),
            ["findings"] = items,
        };
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true }));
    }
}
