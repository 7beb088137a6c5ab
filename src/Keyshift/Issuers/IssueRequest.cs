namespace Keyshift.Issuers;

/// <summary>
/// What the engine asks an issuer for: a new credential for <see cref="Account"/> (the role or user named in
/// the move), modelled on <see cref="CurrentUsername"/> (the login in use today — the account itself at the
/// first rotation, the last issued login after that), keyed by <see cref="Token"/>.
/// </summary>
public sealed record IssueRequest(string Account, string CurrentUsername, RequestToken Token)
{
    public static IssueRequest First(string account, RequestToken token) => new(account, account, token);
}
