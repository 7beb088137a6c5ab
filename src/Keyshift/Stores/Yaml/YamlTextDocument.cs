namespace Keyshift.Stores.Yaml;

/// <summary>One document of a YAML stream. <see cref="EndMarker"/> is the offset of an explicit <c>...</c>, or -1.</summary>
internal sealed record YamlTextDocument(int Index, YamlTextNode? Root, int EndMarker)
{
    /// <summary>True when the document holds nothing (no root, or a null root such as <c>---</c> alone or <c>~</c>).</summary>
    public bool IsEmpty => Root is null || Root.IsNull;
}
