using System.Text;

namespace Keyshift.Stores.Yaml;

internal sealed partial class YamlEditor
{
    private Splice BlockInsert(int at, PendingMapping mapping, int indent)
    {
        var builder = new StringBuilder();
        RenderBlock(builder, mapping, indent);
        return new Splice(at, at, builder.ToString(), indent, AtLineStart: true);
    }

    private void RenderBlock(StringBuilder to, PendingMapping mapping, int indent)
    {
        foreach (var (key, value) in mapping.Entries)
        {
            to.Append(' ', indent);
            YamlScalarWriter.Write(to, key);
            to.Append(':');
            switch (value)
            {
                case string leaf:
                    to.Append(' ');
                    YamlScalarWriter.Write(to, leaf);
                    to.Append(source.NewLine);
                    break;
                case PendingMapping { Count: 0 }:
                    to.Append(" {}").Append(source.NewLine);
                    break;
                case PendingMapping nested:
                    to.Append(source.NewLine);
                    RenderBlock(to, nested, indent + source.IndentStep);
                    break;
            }
        }
    }

    private static void RenderFlow(StringBuilder to, PendingMapping mapping)
    {
        to.Append('{');
        RenderFlowEntries(to, mapping);
        to.Append('}');
    }

    private static void RenderFlowEntries(StringBuilder to, PendingMapping mapping)
    {
        var first = true;
        foreach (var (key, value) in mapping.Entries)
        {
            if (!first)
                to.Append(", ");
            first = false;
            YamlScalarWriter.Write(to, key);
            to.Append(": ");
            if (value is PendingMapping nested)
                RenderFlow(to, nested);
            else
                YamlScalarWriter.Write(to, (string)value);
        }
    }
}
