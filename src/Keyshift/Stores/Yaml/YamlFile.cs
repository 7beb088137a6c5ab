namespace Keyshift.Stores.Yaml;

/// <summary>Loading and saving the YAML file behind a store, with errors that name the store, file, line and column.</summary>
internal static class YamlFile
{
    /// <summary>The parsed file; a missing file reads as empty.</summary>
    public static YamlText Load(Store store, string path, ParsedFileCache<YamlText> cache)
    {
        if (!File.Exists(path))
            return YamlText.Empty;
        var bytes = AtomicFile.Read(store.Name, path);
        try
        {
            return cache.Get(bytes, Parse);
        }
        catch (YamlEditException e)
        {
            throw Error(store, path, e);
        }
    }

    private static YamlText Parse(byte[] bytes) => YamlText.FromBytes(bytes);

    /// <summary>
    /// Writes the edited text atomically, unless nothing changed (so a no-op batch creates no file), and starts
    /// parsing what it wrote for the next batch.
    /// </summary>
    public static void Save(Store store, string path, YamlText source, string text, ParsedFileCache<YamlText> cache)
    {
        if (string.Equals(text, source.Text, StringComparison.Ordinal))
            return;
        var bytes = source.ToBytes(text);
        AtomicFile.Write(store, path, bytes);
        cache.Prime(bytes, Parse);
    }

    public static StoreException Error(Store store, string path, YamlEditException e, string? address = null) =>
        new($"store '{store.Name}': {path}:{e.Line}:{e.Column}: {(address is null ? "" : address + ": ")}{e.Message}", e);

    public static StoreException Error(Store store, string path, int line, string message) =>
        new($"store '{store.Name}': {path}:{line}: {message}");
}
