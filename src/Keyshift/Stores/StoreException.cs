namespace Keyshift.Stores;

/// <summary>
/// A store refused an operation for a reason the user can act on (malformed file, a value the store
/// cannot hold, a locked file). The message names the store and the address or file and line; it never
/// holds a secret value.
/// </summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
