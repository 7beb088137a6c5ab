namespace Keyshift.Stores.Json;

/// <summary>Replace the bytes [Start, End) of the file with <see cref="Text"/> (End equal to Start inserts).</summary>
internal readonly record struct JsonSplice(int Start, int End, ReadOnlyMemory<byte> Text);
