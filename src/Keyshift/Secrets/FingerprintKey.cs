using System.Security.Cryptography;

namespace Keyshift.Secrets;

/// <summary>The per-workspace HMAC key behind every <see cref="Fingerprint"/> (<c>.keyshift/key</c>, mode 0600).</summary>
public sealed class FingerprintKey
{
    private readonly byte[] _key;

    public FingerprintKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32)
            throw new ArgumentException("a fingerprint key has at least 32 bytes", nameof(key));
        _key = key.ToArray();
    }

    public static FingerprintKey CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads the key file, creating it (mode 0600) when it does not exist yet.</summary>
    public static FingerprintKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
            return new FingerprintKey(Convert.FromHexString(File.ReadAllText(path).Trim()));
        var key = CreateRandom();
        key.SaveNew(path);
        return key;
    }

    /// <summary>Writes this key to a new file readable by its owner only (mode 0600); never over an existing one.</summary>
    public void SaveNew(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToHexStringLower(_key));
    }

    public Fingerprint Of(SecretValue value) => new(Convert.ToHexStringLower(HMACSHA256.HashData(_key, value.Bytes)));

    /// <summary>A keyed MAC of arbitrary bytes (audit chain, plan inputs), under a label so uses never collide.</summary>
    public byte[] Mac(string label, ReadOnlySpan<byte> data)
    {
        var derived = HMACSHA256.HashData(_key, System.Text.Encoding.UTF8.GetBytes("keyshift/" + label));
        return HMACSHA256.HashData(derived, data);
    }
}
