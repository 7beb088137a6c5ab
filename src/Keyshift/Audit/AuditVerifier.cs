using System.Buffers;
using System.Security.Cryptography;
using Keyshift.Secrets;

namespace Keyshift.Audit;

/// <summary>
/// Reads the whole log once, in constant memory, and reports every line that is not an intact link of the
/// chain: edited (MAC or canonical form), deleted (sequence gap), reordered or duplicated, malformed,
/// unknown, an incomplete last line — and a tail cut off behind the head in state.db or an outside checkpoint.
/// </summary>
/// <remarks>
/// Each entry's MAC is checked against the MAC of the entry numbered one less, wherever it was found among
/// the recent lines, so one edit, deletion or swap is reported once, at its own line, and the entries after
/// it still verify.
/// </remarks>
public sealed class AuditVerifier : IDisposable
{
    private const int Window = 256;

    private readonly string _path;
    private readonly AuditChain _chain;
    private readonly AuditHead? _head;
    private readonly AuditCheckpoint? _checkpoint;
    private readonly int _maxProblems;
    private readonly List<AuditProblem> _problems = [];
    private readonly Dictionary<long, byte[]> _recent = [];
    private readonly Queue<long> _recentOrder = new();
    private readonly ArrayBufferWriter<byte> _canonical = new(1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly byte[] _computed = new byte[AuditLine.MacBytes];
    private long _problemCount;
    private long _line;
    private long _maxSeq;
    private byte[] _headMac = [];
    private int _unreadable;
    private (long Line, long From, long To)? _gap;

    private AuditVerifier(string path, FingerprintKey key, AuditHead? head, AuditCheckpoint? checkpoint, int maxProblems)
    {
        _path = Path.GetFullPath(path);
        _chain = new AuditChain(key);
        _head = head is { Count: > 0 } ? head : null;
        _checkpoint = checkpoint is { Count: > 0 } ? checkpoint : null;
        _maxProblems = maxProblems;
    }

    /// <summary>
    /// Verifies the log at <paramref name="path"/> against <paramref name="stateHead"/> (read it from state.db
    /// before calling, so concurrent appends are not mistaken for truncation) and an outside
    /// <paramref name="checkpoint"/>. Lists at most <paramref name="maxProblems"/> problems, counts them all.
    /// </summary>
    public static AuditVerification Verify(string path, FingerprintKey key, AuditHead? stateHead = null, AuditCheckpoint? checkpoint = null, int maxProblems = 100)
    {
        using var verifier = new AuditVerifier(path, key, stateHead, checkpoint, maxProblems);
        return verifier.Run();
    }

    public void Dispose() => _chain.Dispose();

    private AuditVerification Run()
    {
        long length = 0;
        if (File.Exists(_path))
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            length = SnapshotLength(stream);
            var reader = new AuditLineReader(stream, 0, length);
            while (reader.Read(out var line) is var status && status != AuditLineStatus.End)
            {
                _line++;
                if (status == AuditLineStatus.Fragment)
                    Report(_line, null, AuditProblemKind.IncompleteLine, "the last line has no newline: a write was interrupted (the next append removes it)");
                else if (status == AuditLineStatus.TooLong)
                    Unreadable(AuditProblemKind.UnknownLine, $"not an audit entry: the line is longer than {AuditLineReader.MaxLineBytes} bytes");
                else if (line.IsEmpty || line.Trim(" \t\r"u8).IsEmpty)
                    Unreadable(AuditProblemKind.UnknownLine, "not an audit entry: blank line");
                else
                    Check(line);
            }
        }
        FlushGap();
        CheckTail(_head?.Count, _head?.HeadMac, "state.db");
        CheckTail(_checkpoint?.Count, _checkpoint?.HeadMac, "the checkpoint");
        _problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new AuditVerification
        {
            Path = _path,
            Lines = _line,
            Entries = _maxSeq,
            HeadMac = Convert.ToHexStringLower(_headMac),
            Length = length,
            StateHead = _head,
            Checkpoint = _checkpoint,
            Problems = _problems,
            ProblemCount = _problemCount,
        };
    }

    /// <summary>
    /// The length to verify, read under the append lock so no append is half-written at that moment; when
    /// the lock cannot be had (a read-only copy of the log), the current length.
    /// </summary>
    private long SnapshotLength(FileStream stream)
    {
        try
        {
            using (AuditLock.Acquire(_path, TimeSpan.FromSeconds(10)))
                return stream.Length;
        }
        catch (AuditUnavailableException)
        {
            return stream.Length;
        }
    }

    private void Check(ReadOnlySpan<byte> line)
    {
        var entry = AuditLine.Parse(line, out var kind, out var error);
        if (entry is null)
        {
            Unreadable(kind, error!);
            return;
        }
        var mac = Convert.FromHexString(entry.Mac);
        var canonical = AuditLine.IsCanonical(line, entry, mac, _canonical, _scratch);
        var seq = entry.Seq;
        var inOrder = Order(seq);
        if (!canonical)
            Report(_line, seq, AuditProblemKind.Edited, $"entry {seq} is not in canonical form (spacing, escaping, property order or a field was changed): the line was edited");
        else if (seq == 1 || _recent.ContainsKey(seq - 1))
        {
            _chain.Next(seq == 1 ? [] : _recent[seq - 1], _canonical.WrittenSpan, _computed);
            if (!CryptographicOperations.FixedTimeEquals(_computed, mac))
                Report(_line, seq, AuditProblemKind.Edited, $"entry {seq}: its MAC does not match its content: the line was edited");
        }
        if (_recent.TryAdd(seq, mac))
        {
            _recentOrder.Enqueue(seq);
            if (_recentOrder.Count > Window)
                _recent.Remove(_recentOrder.Dequeue());
        }
        if (inOrder)
        {
            _maxSeq = seq;
            _headMac = mac;
        }
        CheckHead(seq, entry.Mac, _head?.Count, _head?.HeadMac, "state.db");
        CheckHead(seq, entry.Mac, _checkpoint?.Count, _checkpoint?.HeadMac, "the checkpoint");
    }

    /// <summary>Places the entry in the sequence, reporting gaps and reordering; true when it extends the sequence.</summary>
    private bool Order(long seq)
    {
        var expected = _maxSeq + 1;
        var unreadable = _unreadable;
        _unreadable = 0;
        if (seq == expected)
        {
            FlushGap();
            return true;
        }
        if (seq > expected)
        {
            FlushGap();
            // Missing entries that unreadable lines stand in for are already reported at those lines.
            if (seq - expected > unreadable)
                _gap = (_line, expected, seq - 1);
            return true;
        }
        if (_gap is { } gap && seq >= gap.From && seq <= gap.To)
        {
            Report(gap.Line, null, AuditProblemKind.Reordered, $"line {gap.Line} holds a later entry than it should: entry {seq} comes after it, at line {_line}: lines were reordered");
            _gap = null;
        }
        else
        {
            FlushGap();
            Report(_line, seq, AuditProblemKind.Reordered, $"entry {seq} comes after entry {_maxSeq}: lines were reordered or duplicated");
        }
        return false;
    }

    private void FlushGap()
    {
        if (_gap is not { } gap)
            return;
        _gap = null;
        var missing = gap.From == gap.To ? $"entry {gap.From} is missing" : $"entries {gap.From}–{gap.To} are missing";
        Report(gap.Line, gap.To + 1, AuditProblemKind.Deleted, $"{missing} before this line: lines were deleted");
    }

    private void CheckHead(long seq, string mac, long? count, string? headMac, string source)
    {
        if (count == seq && !string.Equals(mac, headMac, StringComparison.Ordinal))
            Report(_line, seq, AuditProblemKind.Rewritten, $"entry {seq} has another MAC than {source} records for it: the log was rewritten");
    }

    private void CheckTail(long? count, string? headMac, string source)
    {
        if (count is not { } n || n <= _maxSeq)
            return;
        var head = headMac ?? "";
        var ends = _maxSeq == 0 ? "the log holds no entry" : $"the log ends at entry {_maxSeq}";
        Report(_line + 1, n, AuditProblemKind.Truncated, $"{source} records {n} entries (head {head[..Math.Min(12, head.Length)]}…), but {ends}: its tail was cut off");
    }

    private void Unreadable(AuditProblemKind kind, string message)
    {
        _unreadable++;
        Report(_line, null, kind, message);
    }

    private void Report(long line, long? seq, AuditProblemKind kind, string message)
    {
        _problemCount++;
        if (_problems.Count < _maxProblems)
            _problems.Add(new AuditProblem(line, seq, kind, message));
    }
}
