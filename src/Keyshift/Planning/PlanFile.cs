using System.Text;
using System.Text.Json;
using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Planning;

/// <summary>
/// A saved plan (<c>plan --out</c>) that <c>apply --plan</c> carries out exactly: it holds the config's hash
/// and each move's outcome and fingerprints, MAC'd with the workspace key, and is refused when any input changed.
/// </summary>
public static class PlanFile
{
    private sealed record Entry(string Id, string Target, string State, string Outcome, string? SourceFingerprint, string? TargetFingerprint);

    private sealed record Body(int Version, string Name, string ConfigHash, List<Entry> Moves);

    private sealed record Envelope(Body Plan, string Mac);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static void Save(Plan plan, string name, FingerprintKey key, string path)
    {
        var body = new Body(1, name, plan.ConfigHash, plan.Moves.Select(ToEntry).ToList());
        var envelope = new Envelope(body, Mac(body, key));
        Stores.AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(envelope, Options));
    }

    /// <summary>Throws bad input when the saved plan was altered or no longer matches <paramref name="current"/>.</summary>
    public static void CheckMatches(string path, Plan current, FingerprintKey key)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(File.ReadAllBytes(path), Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new BadInputException(null, "--plan", $"{path}: not a readable Keyshift plan: {e.Message}");
        }
        if (envelope?.Plan is null || envelope.Mac != Mac(envelope.Plan, key))
            throw new BadInputException(null, "--plan", $"{path}: the plan was altered or made in another workspace");
        var saved = envelope.Plan;
        if (saved.ConfigHash != current.ConfigHash)
            throw new BadInputException(null, "--plan", $"{path}: keyshift.yaml changed since the plan was made; run keyshift plan again");
        var now = current.Moves.Select(ToEntry).ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var entry in saved.Moves)
        {
            if (!now.Remove(entry.Id, out var live))
                throw new BadInputException(null, "--plan", $"{path}: move {entry.Id} is no longer in the plan; run keyshift plan again");
            if (live != entry)
                throw new BadInputException(null, "--plan", $"{path}: move {entry.Id} changed since the plan was made ({Difference(entry, live)}); run keyshift plan again");
        }
        if (now.Count > 0)
            throw new BadInputException(null, "--plan", $"{path}: move {now.Keys.First()} is new since the plan was made; run keyshift plan again");
    }

    private static string Difference(Entry saved, Entry live) =>
        saved.SourceFingerprint != live.SourceFingerprint ? "the source value"
        : saved.TargetFingerprint != live.TargetFingerprint ? "the target value"
        : saved.State != live.State ? $"state {saved.State} → {live.State}"
        : $"outcome {saved.Outcome} → {live.Outcome}";

    private static Entry ToEntry(PlannedMove m) =>
        new(m.Id, m.Move.Target.ToString(), m.State.ToString(), m.Outcome.ToString(), m.SourceFingerprint, m.TargetFingerprint);

    private static string Mac(Body body, FingerprintKey key) =>
        Convert.ToHexStringLower(key.Mac("plan", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, Options))));
}
