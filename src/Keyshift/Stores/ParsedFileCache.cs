using System.Security.Cryptography;

namespace Keyshift.Stores;

/// <summary>
/// The last parse of a store's file, reused while the file's bytes are the same (compared by SHA-256, so
/// a change by another process is never missed). A batched run reads the same large file many times; the
/// hash of a few megabytes costs milliseconds, a parse of 100,000 entries far more.
/// </summary>
internal sealed class ParsedFileCache<T>
    where T : class
{
    private readonly Lock _gate = new();
    private byte[]? _hash;
    private Task<T>? _parsed;

    /// <summary>The parse of <paramref name="content"/>: the cached one when the bytes are unchanged.</summary>
    public T Get(byte[] content, Func<byte[], T> parse)
    {
        var hash = SHA256.HashData(content);
        Task<T>? cached = null;
        lock (_gate)
        {
            if (_parsed is not null && _hash is not null && hash.AsSpan().SequenceEqual(_hash))
                cached = _parsed;
        }
        if (cached is not null)
        {
            // A primed parse that failed is parsed again here, so its error surfaces where the file is read.
            if (!cached.IsFaulted && !cached.IsCanceled)
                return cached.GetAwaiter().GetResult();
        }
        var parsed = parse(content);
        lock (_gate)
        {
            _hash = hash;
            _parsed = Task.FromResult(parsed);
        }
        return parsed;
    }

    /// <summary>
    /// Starts parsing bytes this process has just written, on another core, while the caller records its
    /// batch: the next batch reads the file again, and then finds the parse done (or waits for the rest).
    /// </summary>
    public void Prime(byte[] content, Func<byte[], T> parse)
    {
        var hash = SHA256.HashData(content);
        var task = Task.Run(() => parse(content));
        lock (_gate)
        {
            _hash = hash;
            _parsed = task;
        }
    }
}
