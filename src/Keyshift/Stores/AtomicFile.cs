namespace Keyshift.Stores;

/// <summary>Whole-file writes that a crash cannot tear: temporary file in the same folder, flush, rename; mode kept.</summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        UnixFileMode? mode = null;
        if (!OperatingSystem.IsWindows())
            mode = File.Exists(path) ? File.GetUnixFileMode(path) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } m && !OperatingSystem.IsWindows())
                options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes a store's file, turning the usual failures into a <see cref="StoreException"/> naming the store and file.</summary>
    public static void Write(Store store, string path, ReadOnlySpan<byte> content)
    {
        try
        {
            Write(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"store '{store.Name}' ({store.Type}): cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a file, turning the usual failures into a <see cref="StoreException"/> naming the store and file.</summary>
    public static byte[] Read(string store, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"store '{store}': cannot read {path}: {e.Message}", e);
        }
    }
}
