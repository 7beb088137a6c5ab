using Keyshift.Secrets;

namespace Keyshift.Stores;

/// <summary>One write or delete in a batch given to <see cref="Store.ApplyAsync"/>. A null value deletes.</summary>
public sealed record StoreChange(SecretAddress Address, SecretValue? Value)
{
    public static StoreChange Set(SecretAddress address, SecretValue value) => new(address, value);

    public static StoreChange Delete(SecretAddress address) => new(address, null);

    public bool IsDelete => Value is null;
}
