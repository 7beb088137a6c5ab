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
            return Load(path);
        var key = CreateRandom();
        key.SaveNew(path);
        return key;
    }

    /// <summary>Reads an existing key file; a damaged one is an error naming the file, never a crash.</summary>
    public static FingerprintKey Load(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (text.Length < 64 || text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            throw new Configuration.BadInputException(null, "", $"{path}: the workspace key is damaged (expected 64 hex digits); restore it from a backup — without it fingerprints cannot be compared");
        return new FingerprintKey(Convert.FromHexString(text));
    }

    /// <summary>
    /// Writes this key to a new file readable by its owner only (mode 0600), atomically: a temporary file is
    /// written and flushed, then renamed without replacing, so a crash never leaves a partial key behind.
    /// </summary>
    public void SaveNew(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".key.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(_key)));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new IOException($"{path} was created by another Keyshift process at the same moment; run the command again");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Fingerprint Of(SecretValue value) => new(Convert.ToHexStringLower(HMACSHA256.HashData(_key, value.Bytes)));

    /// <summary>A keyed MAC of arbitrary bytes (audit chain, plan inputs), under a label so uses never collide.</summary>
    public byte[] Mac(string label, ReadOnlySpan<byte> data)
    {
        var derived = HMACSHA256.HashData(_key, System.Text.Encoding.UTF8.GetBytes("keyshift/" + label));
        return HMACSHA256.HashData(derived, data);
    }
}
