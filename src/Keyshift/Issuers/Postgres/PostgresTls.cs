using System.Net;
using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// TLS for PostgreSQL connections. Verification is on by default (<c>verify-full</c>); only a loopback host
/// defaults to <c>prefer</c>, because that traffic never leaves the machine.
/// </summary>
public static class PostgresTls
{
    public const string Modes = "disable, allow, prefer, require, verify-ca, verify-full";

    public static bool TryParseMode(string text, out SslMode mode)
    {
        switch (text)
        {
            case "disable": mode = SslMode.Disable; return true;
            case "allow": mode = SslMode.Allow; return true;
            case "prefer": mode = SslMode.Prefer; return true;
            case "require": mode = SslMode.Require; return true;
            case "verify-ca": mode = SslMode.VerifyCA; return true;
            case "verify-full": mode = SslMode.VerifyFull; return true;
            default: mode = SslMode.VerifyFull; return false;
        }
    }

    public static SslMode DefaultFor(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)) ? SslMode.Prefer : SslMode.VerifyFull;

    public static string Name(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Allow => "allow",
        SslMode.Prefer => "prefer",
        SslMode.Require => "require",
        SslMode.VerifyCA => "verify-ca",
        _ => "verify-full",
    };
}
