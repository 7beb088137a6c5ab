using System.Security.Cryptography;
using System.Text;
using Keyshift.Secrets;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, as <c>psql \password</c> computes it).
/// Sending the verifier in <c>ALTER ROLE … PASSWORD</c> keeps the plaintext off the server, its logs and
/// <c>pg_stat_statements</c>; the verifier alone cannot log in.
/// </summary>
public static class ScramVerifier
{
    public const int Iterations = 4096;

    public static string Compute(SecretValue password) => Compute(password, RandomNumberGenerator.GetBytes(16), Iterations);

    public static string Compute(SecretValue password, byte[] salt, int iterations)
    {
        // Generated passwords are ASCII, for which SASLprep is the identity; other text is used as its UTF-8 bytes,
        // which is what PostgreSQL itself falls back to for strings SASLprep rejects.
        var salted = Rfc2898DeriveBytes.Pbkdf2(password.Bytes, salt, iterations, HashAlgorithmName.SHA256, 32);
        try
        {
            var clientKey = HMACSHA256.HashData(salted, Encoding.ASCII.GetBytes("Client Key"));
            var storedKey = SHA256.HashData(clientKey);
            var serverKey = HMACSHA256.HashData(salted, Encoding.ASCII.GetBytes("Server Key"));
            return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
        }
    }
}
