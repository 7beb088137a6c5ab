namespace Keyshift.Gateway;

/// <summary>The IdP refused or did not answer a token request. The message names status or cause, never a credential.</summary>
internal sealed class TokenException(string message, Exception? inner = null) : Exception(message, inner);
