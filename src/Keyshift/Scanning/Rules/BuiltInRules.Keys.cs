using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    private const string EcKey = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIH5hMaY9vDu6YN0iWiHs7l4aZed8bkVmB0P1mpfja5u8oAoGCCqGSM49
        AwEHoUQDQgAENnP4gMAkELsFiDasA6mDRWcXOng87rgHIj63cRfOVblc0AHSb9yH
        O5YBEzNdCDBErurvQznRrqcmeBxcQeaDWA==
        -----END EC PRIVATE KEY-----
        """;

    private const string OpenSshKey = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDPQ8JTm/0/XBMMTk3kkke4V9P00XqDFWObNava3A8NRQAAAJDFT0cWxU9H
        FgAAAAtzc2gtZWQyNTUxOQAAACDPQ8JTm/0/XBMMTk3kkke4V9P00XqDFWObNava3A8NRQ
        AAAEAVP5PDfusgFDh4koSl//A0eAnZA6FxPh6M/MT+AEGOws9DwlOb/T9cEwxOTeSSR7hX
        0/TReoMVY5s1q9rcDw1FAAAAB3Jvb3RAdm0BAgMEBQY=
        -----END OPENSSH PRIVATE KEY-----
        """;

    private const string PgpKey = """
        -----BEGIN PGP PRIVATE KEY BLOCK-----

        lFgEZWx0YhYJKwYBBAHaRw8BAQdAq3kPp0Yx4iS0dB4o6l1Xq2rZ9mVtJ5Qj0cJ3
        8a1N2fUAAQCv4n3fZQk1sZr0Ew6kFh8vJ3Qm2T5Yp7L9xR4cW1bE0g==
        =Zx4k
        -----END PGP PRIVATE KEY BLOCK-----
        """;

    private static Rule PrivateKey => new()
    {
        Id = "private-key",
        Description = "Private key (PEM, PKCS#8, OpenSSH, PGP)",
        Keywords = ["PRIVATE KEY"],
        Pattern = PrivateKeyPattern(),
        Multiline = true,
        TruePositives = [new(EcKey, "tls.key"), new(OpenSshKey, "id_ed25519"), new(PgpKey, "signing.asc"), new("""  key: "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIP2GnRWAaBQ9acjiMB8/5ti4nXq7K0OhAnKgEbSq1j2s\n-----END PRIVATE KEY-----" """, "values.yaml")],
        FalsePositives =
        [
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAz0PCU5v9P1wTDE5N5JJHuFfT9NF6gxVjmzWr2twPDUU=\n-----END PUBLIC KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM9DwlOb/T9cEwxOTeSSR7hX0/TReoMVY5s1q9rcDw1F deploy@ci",
            "if (pem.StartsWith(\"-----BEGIN PRIVATE KEY-----\")) return Parse(pem);",
        ],
    };

    private static Rule Jwt => new()
    {
        Id = "jwt",
        Description = "JSON Web Token",
        Keywords = ["eyJ"],
        Pattern = JwtPattern(),
        PublicPrefixes = ["eyJ"],
        TruePositives = ["Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcGF5bWVudHMiLCJpYXQiOjE3MDAwMDAwMDAsInNjb3BlIjoib3JkZXJzOndyaXRlIn0.Qm9uZ3VzU2lnbmF0dXJlRm9yVGVzdGluZ09ubHk3Xz"],
        FalsePositives = ["token: eyJhbGciOiJIUzI1NiJ9", "header = 'eyJhbGciOiJIUzI1NiJ9.eyJ.sig'"],
    };

    [GeneratedRegex(@"(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s)*[A-Za-z0-9+/=:,\-\s\\]{16,}?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)")]
    private static partial Regex PrivateKeyPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})")]
    private static partial Regex JwtPattern();
}
