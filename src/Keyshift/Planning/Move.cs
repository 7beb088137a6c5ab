using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Planning;

/// <summary>The migration of one secret: source → target under one config entry. Its id is its source address.</summary>
public sealed record Move(SecretAddress Source, SecretAddress Target, MoveConfig Config)
{
    public string Id => Source.ToString();
}
