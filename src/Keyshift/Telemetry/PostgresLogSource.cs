using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keyshift.Telemetry;

/// <summary>
/// Reads PostgreSQL's log after the fact (<c>log_connections = on</c>, default <c>log_line_prefix</c> <c>%m [%p] </c>):
/// every <c>connection authorized: user=X database=Y</c> line is a use of login X at the line's time, and every
/// <c>password authentication failed for user "X"</c> an attempt. Reads from the cursor (a byte offset) to the last
/// complete line; the batch covers from the previous read (or the log's first line) up to now.
/// </summary>
public sealed partial class PostgresLogSource(string name, string path, TimeProvider time) : TelemetrySource(name)
{
    public override bool IsSampled => false;

    public string Path { get; } = path;

    public override async ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken)
    {
        var (offset, previousTo) = ParseCursor(cursor);
        var now = time.GetUtcNow();
        byte[] bytes;
        long length;
        try
        {
            await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = stream.Length;
            if (length < offset)
            {
                // The log was rotated or truncated: what was written in between is lost, so coverage restarts.
                offset = 0;
                previousTo = null;
            }
            stream.Seek(offset, SeekOrigin.Begin);
            bytes = new byte[length - offset];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TelemetryException($"telemetry '{Name}': cannot read the connection log {Path}: {e.Message}", e);
        }
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var observations = new List<Observation>();
        DateTimeOffset? first = null;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, complete).Split('\n'))
        {
            var stamp = Prefix().Match(line);
            if (!stamp.Success)
                continue;
            var at = ParseTime(stamp.Groups["time"].Value, stamp.Groups["zone"].Value);
            first ??= at;
            var rest = line[stamp.Length..];
            var authorized = Authorized().Match(rest);
            if (authorized.Success)
            {
                observations.Add(new Observation("postgres-log", authorized.Groups["user"].Value, at, 1, $"database={authorized.Groups["db"].Value} pid={stamp.Groups["pid"].Value}"));
                continue;
            }
            var failed = AuthFailed().Match(rest);
            if (failed.Success)
                observations.Add(new Observation("postgres-log", failed.Groups["user"].Value, at, 1, "authentication failed"));
        }
        var from = previousTo ?? first ?? now;
        return new TelemetryBatch(Name, observations, new Coverage(from, now), $"{offset + complete};{now.ToUnixTimeMilliseconds()}");
    }

    private DateTimeOffset ParseTime(string text, string zone)
    {
        var local = DateTime.ParseExact(text, ["yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None);
        TimeSpan offset;
        if (zone is "UTC" or "GMT" or "Z" or "")
            offset = TimeSpan.Zero;
        else if (Offset().Match(zone) is { Success: true } m)
            offset = new TimeSpan(int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture), m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0, 0)
                * (m.Groups["sign"].Value == "-" ? -1 : 1);
        else
            throw new TelemetryException($"telemetry '{Name}': {Path}: time zone '{zone}' in log lines cannot be read unambiguously; set log_timezone = 'UTC' in postgresql.conf");
        return new DateTimeOffset(local, offset);
    }

    private static (long Offset, DateTimeOffset? To) ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
            return (0, null);
        var parts = cursor.Split(';');
        var offset = long.Parse(parts[0], CultureInfo.InvariantCulture);
        DateTimeOffset? to = parts.Length > 1 ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)) : null;
        return (offset, to);
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{3})?) ?(?<zone>[A-Za-z]+|[+-]\d{2}(:?\d{2})?)? \[(?<pid>\d+)\] ")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"LOG:\s+connection authorized: user=(?<user>.*?) database=(?<db>.*?)(?= application_name=| SSL enabled| GSS| identity=|$)")]
    private static partial Regex Authorized();

    [GeneratedRegex("FATAL:\\s+password authentication failed for user \"(?<user>(?:[^\"]|\"\")*)\"")]
    private static partial Regex AuthFailed();

    [GeneratedRegex(@"^(?<sign>[+-])(?<h>\d{2}):?(?<m>\d{2})?$")]
    private static partial Regex Offset();
}
