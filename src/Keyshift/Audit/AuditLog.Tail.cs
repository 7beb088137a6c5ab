using System.Buffers;
using System.Security.Cryptography;

namespace Keyshift.Audit;

/// <summary>Reading the tail: what the log holds on open, and what other processes appended since.</summary>
public sealed partial class AuditLog
{
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);

    private void Load(AuditHead? head, bool haveState)
    {
        var expected = head is { Count: > 0 } ? head : null;
        if (!File.Exists(Path))
        {
            if (expected is not null)
                throw Tampered($"the log does not exist, but state.db records {expected.Count} entries: it was deleted");
            return;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditUnavailableException($"audit log {Path}: cannot read it: {e.Message}", e);
        }
        using (stream)
        {
            // An incomplete last line is an append that never returned; it is ignored here and removed by the next append.
            var end = AuditTail.EndOfLastLine(stream, 0, stream.Length);
            if (end == 0)
            {
                if (expected is not null)
                    throw Tampered($"the log is empty, but state.db records {expected.Count} entries: it was truncated");
                return;
            }
            var last = AuditTail.StartOfLastLines(stream, end, 1);
            var lastSeq = Scan(stream, last, end, null, null).Count;
            if (expected is not null && lastSeq < expected.Count)
                throw Tampered($"the log ends at entry {lastSeq}, but state.db records {expected.Count} entries: its tail was cut off");
            // With a head, check from the entry it vouches for; with a state database but no head yet,
            // everything; with no state database, the last entry against the one before it.
            var from = expected is not null ? AuditTail.StartOfLastLines(stream, end, lastSeq - expected.Count + 1)
                : haveState ? 0
                : AuditTail.StartOfLastLines(stream, end, 2);
            (_count, _headMac) = Scan(stream, from, end, from == 0 ? (0, []) : null, expected);
            _knownLength = end;
        }
    }

    /// <summary>Verifies what other processes appended since this instance last looked; returns where to write.</summary>
    private long CatchUp(FileStream stream)
    {
        var length = stream.Length;
        if (length < _knownLength)
            throw Tampered($"the log shrank from {_knownLength} to {length} bytes while it was open: it was truncated or replaced");
        if (length == _knownLength)
            return length;
        var end = AuditTail.EndOfLastLine(stream, _knownLength, length);
        if (end > _knownLength)
        {
            (_count, _headMac) = Scan(stream, _knownLength, end, (_count, _headMac), null);
            _knownLength = end;
        }
        return end;
    }

    /// <summary>
    /// Checks the whole lines in [from, end): each canonical, each chaining from the one before. With no
    /// <paramref name="previous"/> the first line is taken as the anchor; <paramref name="expected"/> is the
    /// head from state.db that the lines must contain.
    /// </summary>
    private (long Count, byte[] Mac) Scan(Stream stream, long from, long end, (long Seq, byte[] Mac)? previous, AuditHead? expected)
    {
        var reader = new AuditLineReader(stream, from, end);
        var computed = new byte[AuditLine.MacBytes];
        var prev = previous;
        while (reader.Read(out var line) is var status && status != AuditLineStatus.End)
        {
            var at = prev is { } p ? $"entry {p.Seq + 1}" : $"the line at byte {reader.LineStart}";
            if (status != AuditLineStatus.Line)
                throw Tampered($"{at}: the line is longer than {AuditLineReader.MaxLineBytes} bytes");
            var entry = AuditLine.Parse(line, out _, out var error) ?? throw Tampered($"{at}: {error}");
            var mac = Convert.FromHexString(entry.Mac);
            if (!AuditLine.IsCanonical(line, entry, mac, _canonical, _scratch))
                throw Tampered($"entry {entry.Seq}: the line is not in canonical form: it was edited");
            if (prev is { } before)
            {
                if (entry.Seq != before.Seq + 1)
                    throw Tampered($"entry {entry.Seq} follows entry {before.Seq}: lines were deleted, inserted or reordered");
                _chain.Next(before.Mac, _canonical.WrittenSpan, computed);
                if (!CryptographicOperations.FixedTimeEquals(computed, mac))
                    throw Tampered($"entry {entry.Seq}: its MAC does not match: the line was edited");
            }
            else if (expected is not null && entry.Seq != expected.Count)
            {
                throw Tampered($"entry {expected.Count} (the head in state.db) is not where the log's length puts it; found entry {entry.Seq}: lines were deleted or inserted");
            }
            if (expected is not null && entry.Seq == expected.Count && !string.Equals(entry.Mac, expected.HeadMac, StringComparison.Ordinal))
                throw Tampered($"entry {entry.Seq} has another MAC than the head recorded in state.db: the log was rewritten");
            prev = (entry.Seq, mac);
        }
        if (expected is not null && (prev is null || prev.Value.Seq < expected.Count))
            throw Tampered($"the log ends before entry {expected.Count}, which state.db records: its tail was cut off");
        return prev ?? (0, []);
    }

    private AuditUnavailableException Tampered(string reason) =>
        new($"audit log {Path}: {reason}. Nothing was appended; run `keyshift audit verify` to see every problem.");
}
