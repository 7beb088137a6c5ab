namespace Keyshift.Configuration;

/// <summary><c>policy:</c> rules every move is checked against.</summary>
public sealed record PolicyConfig
{
    public bool RequireOwner { get; init; }

    public TimeSpan? MaxAge { get; init; }
}
