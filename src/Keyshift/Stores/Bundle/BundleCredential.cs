using System.Text;
using Keyshift.Configuration;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// Resolves the <c>env:NAME</c> and <c>file:PATH</c> references a bundle needs (passphrase, identity).
/// Store addresses are not resolved here yet. A missing variable or file is bad input naming the field.
/// </summary>
internal static class BundleCredential
{
    /// <summary>
    /// The referenced bytes: an environment variable's UTF-8, or a file's bytes without trailing line
    /// breaks (so <c>echo secret &gt; pass.txt</c> works). <paramref name="resolvePath"/> makes a <c>file:</c> path absolute.
    /// </summary>
    public static byte[] Read(CredentialReference reference, Func<string, string?> resolvePath, SourceLocation? location, string field)
    {
        var bytes = reference.Kind switch
        {
            "env" => Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(reference.Target)
                ?? throw new BadInputException(location, field, $"environment variable {reference.Target} is not set")),
            "file" => ReadFile(resolvePath, reference.Target, location, field),
            _ => throw new BadInputException(location, field, $"'{reference}' is a store address; a bundle takes env:NAME or file:PATH here"),
        };
        var length = bytes.Length;
        while (reference.Kind == "file" && length > 0 && bytes[length - 1] is (byte)'\n' or (byte)'\r')
            length--;
        if (length == 0)
            throw new BadInputException(location, field, $"{reference} is empty");
        return bytes[..length];
    }

    /// <summary>The absolute path of a <c>file:</c> reference, checked to exist.</summary>
    public static string Path(CredentialReference reference, Func<string, string?> resolvePath, SourceLocation? location, string field)
    {
        if (reference.Kind != "file")
            throw new BadInputException(location, field, $"'{reference}' must be file:PATH");
        var path = resolvePath(reference.Target)
            ?? throw new BadInputException(location, field, $"'{reference.Target}' leaves the workspace; write an absolute path to mean it");
        if (!File.Exists(path))
            throw new BadInputException(location, field, $"file {path} does not exist");
        return path;
    }

    private static byte[] ReadFile(Func<string, string?> resolvePath, string target, SourceLocation? location, string field)
    {
        var path = resolvePath(target)
            ?? throw new BadInputException(location, field, $"'{target}' leaves the workspace; write an absolute path to mean it");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(location, field, $"cannot read {path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }
    }
}
