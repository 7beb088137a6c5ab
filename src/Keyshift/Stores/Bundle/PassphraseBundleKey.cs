using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// PBKDF2-HMAC-SHA256 of a passphrase. Parameters: <c>u32 iterations</c> (big-endian) and a 16-byte salt.
/// Reading honours the header's count; the derived key is cached per salt so a store derives once per
/// file, and a rewrite keeps the salt (the nonce is fresh every time).
/// </summary>
internal sealed class PassphraseBundleKey : BundleKey
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int MinimumIterations = 600_000;

    /// <summary>A header asking for more is refused rather than tying up a core for minutes.</summary>
    public const int MaximumIterations = 10_000_000;

    private const int SaltSize = 16;
    private readonly byte[] _passphrase;
    private readonly int _iterations;
    private readonly Lock _lock = new();
    private byte[]? _cachedSalt;
    private int _cachedIterations;
    private byte[]? _cachedKey;

    public PassphraseBundleKey(ReadOnlySpan<byte> passphrase, int iterations = MinimumIterations)
    {
        if (passphrase.IsEmpty)
            throw new ArgumentException("a bundle passphrase must not be empty", nameof(passphrase));
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaximumIterations);
        _passphrase = passphrase.ToArray();
        _iterations = iterations;
    }

    public override BundleKeyMode Mode => BundleKeyMode.Passphrase;

    public override string Description => "a passphrase";

    public override SealedDataKey Seal(BundleHeader? previous)
    {
        lock (_lock)
        {
            var salt = _cachedSalt is not null && _cachedIterations == _iterations && previous is not null &&
                       TryParse(previous.KeyParameters, out var previousIterations, out var previousSalt) &&
                       previousIterations == _iterations && previousSalt.AsSpan().SequenceEqual(_cachedSalt)
                ? _cachedSalt
                : RandomNumberGenerator.GetBytes(SaltSize);
            var parameters = new byte[4 + SaltSize];
            BinaryPrimitives.WriteUInt32BigEndian(parameters, (uint)_iterations);
            salt.CopyTo(parameters, 4);
            return new SealedDataKey(parameters, Derive(salt, _iterations));
        }
    }

    public override byte[]? TryOpen(BundleHeader header, out string? problem)
    {
        problem = null;
        if (header.Mode != BundleKeyMode.Passphrase)
        {
            problem = $"it was sealed with {header.SealedWith}, not a passphrase";
            return null;
        }
        if (!TryParse(header.KeyParameters, out var iterations, out var salt))
        {
            problem = "its passphrase parameters are malformed";
            return null;
        }
        if (iterations is < 1 or > MaximumIterations)
        {
            problem = $"its header asks for {iterations} PBKDF2 iterations; Keyshift accepts 1 to {MaximumIterations}";
            return null;
        }
        lock (_lock)
            return Derive(salt, iterations);
    }

    /// <summary>The iteration count a header asks for, or null when the header is not a passphrase header.</summary>
    public static int? IterationsOf(BundleHeader header) =>
        header.Mode == BundleKeyMode.Passphrase && TryParse(header.KeyParameters, out var iterations, out _) ? iterations : null;

    private byte[] Derive(byte[] salt, int iterations)
    {
        if (_cachedKey is null || _cachedIterations != iterations || !salt.AsSpan().SequenceEqual(_cachedSalt))
        {
            _cachedKey = Rfc2898DeriveBytes.Pbkdf2(_passphrase, salt, iterations, HashAlgorithmName.SHA256, DataKeySize);
            _cachedSalt = salt;
            _cachedIterations = iterations;
        }
        return _cachedKey.ToArray();
    }

    private static bool TryParse(byte[] parameters, out int iterations, out byte[] salt)
    {
        iterations = 0;
        salt = [];
        if (parameters.Length != 4 + SaltSize)
            return false;
        var count = BinaryPrimitives.ReadUInt32BigEndian(parameters);
        if (count > int.MaxValue)
            return false;
        iterations = (int)count;
        salt = parameters[4..];
        return true;
    }
}
