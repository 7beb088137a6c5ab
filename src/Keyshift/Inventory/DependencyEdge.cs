namespace Keyshift.Inventory;

/// <summary>A consumer's dependency on a stored secret, and why it is known: <c>declared</c> (a move's consumers) or <c>reference</c> (the scanner found one).</summary>
internal sealed record DependencyEdge(string Consumer, string Secret, string Kind, string? Location = null);
