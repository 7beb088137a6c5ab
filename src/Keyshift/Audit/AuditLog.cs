using System.Buffers;
using Keyshift.Secrets;
using Keyshift.State;

namespace Keyshift.Audit;

/// <summary>
/// The append-only, MAC-chained audit log <c>.keyshift/audit.jsonl</c>. Every append happens under an
/// exclusive lock, re-reads whatever other processes appended since, writes all its lines in one go and
/// fsyncs before returning; if any of that fails it throws <see cref="AuditUnavailableException"/> and the
/// caller must not perform the step it was recording (fail closed).
/// </summary>
/// <remarks>
/// With a <see cref="StateDb"/>, an append also advances the <see cref="AuditHead"/> row in the caller's
/// current transaction — after the lines are durable, so state.db never claims an entry the file lacks.
/// A crash between the two leaves the file ahead of the head; <see cref="Open"/> verifies those extra
/// entries against the chain and advances the head. That is safe because each extra entry is proven by
/// its MAC to extend the chain the head vouches for, and the engine writes intent before acting: the extra
/// entries describe steps that may or may not have happened, which is exactly what they say.
/// </remarks>
public sealed partial class AuditLog : IDisposable
{
    private const int FlushBytes = 4 << 20;

    private readonly object _gate = new();
    private readonly AuditChain _chain;
    private readonly TimeProvider _time;
    private readonly AuditLogOptions _options;
    private readonly string _actor;
    private readonly ArrayBufferWriter<byte> _canonical = new(1024);
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private long _knownLength;
    private long _count;
    private byte[] _headMac = [];

    private AuditLog(string path, FingerprintKey key, TimeProvider time, AuditLogOptions options)
    {
        Path = System.IO.Path.GetFullPath(path);
        _chain = new AuditChain(key);
        _time = time;
        _options = options;
        _actor = options.Actor ?? Environment.UserName;
    }

    public string Path { get; }

    /// <summary>Entries in the log as of this instance's last append or open.</summary>
    public long Count => _count;

    /// <summary>MAC of the last entry (lower-case hex), empty for an empty log.</summary>
    public string HeadMac => Convert.ToHexStringLower(_headMac);

    /// <summary>
    /// Opens the log at <paramref name="path"/> (it need not exist yet) and checks its tail: the last entry
    /// must chain from the one before it and, given a <paramref name="state"/>, the log must still hold the
    /// head recorded there. Entries beyond that head are verified and the head advanced.
    /// </summary>
    /// <exception cref="AuditUnavailableException">The log cannot be read or locked, or it was truncated or edited.</exception>
    public static AuditLog Open(string path, FingerprintKey key, TimeProvider time, StateDb? state = null, AuditLogOptions? options = null)
    {
        var log = new AuditLog(path, key, time, options ?? new AuditLogOptions());
        try
        {
            // The head is read before the file: the head only ever trails the file, so this order never
            // mistakes a concurrent append for truncation.
            var head = state is null ? null : AuditHead.Read(state);
            using (AuditLock.Acquire(log.Path, log._options.LockTimeout))
                log.Load(head, state is not null);
            if (state is not null && log._count > (head?.Count ?? 0))
                log.AdvanceHead(state);
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Appends one entry; see <see cref="AppendBatch"/>.</summary>
    public AuditCheckpoint Append(AuditRecord record, StateDb? state = null) => AppendBatch([record], state);

    /// <summary>
    /// Appends the entries with one write and one fsync, then (given <paramref name="state"/>) advances the
    /// head in state.db inside the caller's current transaction. Returns the position after the last one.
    /// </summary>
    /// <exception cref="AuditUnavailableException">Nothing durable was appended: do not perform the step.</exception>
    public AuditCheckpoint AppendBatch(IReadOnlyList<AuditRecord> records, StateDb? state = null)
    {
        foreach (var record in records)
        {
            if (string.IsNullOrWhiteSpace(record.Action) || string.IsNullOrWhiteSpace(record.Result))
                throw new ArgumentException("an audit record needs an action and a result", nameof(records));
        }
        AuditCheckpoint position;
        lock (_gate)
        {
            using (AuditLock.Acquire(Path, _options.LockTimeout))
                position = WriteLocked(records);
        }
        if (state is not null)
            AdvanceHead(state);
        return position;
    }

    /// <summary>The position as of this instance's last append or open, stamped with the current time.</summary>
    public AuditCheckpoint Checkpoint() => new(_count, HeadMac, _time.GetUtcNow());

    public void Dispose() => _chain.Dispose();

    private void AdvanceHead(StateDb state)
    {
        try
        {
            AuditHead.Advance(state, _count, HeadMac);
        }
        catch (Exception e) when (e is not AuditUnavailableException)
        {
            throw new AuditUnavailableException($"audit log {Path}: the entries are written, but the head in state.db could not be advanced: {e.Message}", e);
        }
    }

    private AuditCheckpoint WriteLocked(IReadOnlyList<AuditRecord> records)
    {
        FileStream stream;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            stream = new FileStream(Path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditUnavailableException($"audit log {Path}: cannot open it for appending: {e.Message}", e);
        }
        using (stream)
        {
            var end = CatchUp(stream);
            var torn = stream.Length - end;
            var time = _time.GetUtcNow();
            var count = _count;
            var mac = _headMac;
            try
            {
                if (torn > 0)
                    stream.SetLength(end);
                stream.Position = end;
                _output.ResetWrittenCount();
                if (torn > 0)
                {
                    var repair = new AuditRecord
                    {
                        Action = "audit.repair",
                        Result = "ok",
                        Evidence = AuditEvidence.None.With("incompleteLineBytesRemoved", torn),
                    };
                    mac = Build(repair, ++count, time, mac);
                }
                foreach (var record in records)
                {
                    mac = Build(record, ++count, time, mac);
                    if (_output.WrittenCount >= FlushBytes)
                    {
                        stream.Write(_output.WrittenSpan);
                        _output.ResetWrittenCount();
                    }
                }
                stream.Write(_output.WrittenSpan);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                Undo(stream, end);
                throw new AuditUnavailableException($"audit log {Path}: cannot append: {e.Message}", e);
            }
            finally
            {
                _output.ResetWrittenCount();
            }
            _knownLength = stream.Position;
            _count = count;
            _headMac = mac;
            return new AuditCheckpoint(count, HeadMac, time);
        }
    }

    private byte[] Build(AuditRecord record, long seq, DateTimeOffset time, byte[] previousMac)
    {
        _canonical.ResetWrittenCount();
        AuditLine.WriteCanonical(_canonical, seq, time, record.Actor ?? _actor, record.Action, record.Move, record.Step, record.Result, record.Evidence);
        var mac = new byte[AuditLine.MacBytes];
        _chain.Next(previousMac, _canonical.WrittenSpan, mac);
        AuditLine.WriteLine(_output, _canonical.WrittenSpan, mac);
        _output.Write("\n"u8);
        return mac;
    }

    private static void Undo(FileStream stream, long end)
    {
        try
        {
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // What stays behind is either whole verified lines or an incomplete last line; the next
            // append catches up with the former and removes the latter.
        }
    }
}
