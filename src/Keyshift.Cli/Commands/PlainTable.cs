using System.Text;

namespace Keyshift.Cli.Commands;

/// <summary>Left-aligned columns separated by two spaces, streamed row by row: a table for hundreds of thousands of rows.</summary>
internal static class PlainTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        }
        var line = new StringBuilder();
        WriteRow(output, line, [.. headers], widths);
        WriteRow(output, line, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in all)
            WriteRow(output, line, row, widths);
    }

    private static void WriteRow(TextWriter output, StringBuilder line, string[] cells, int[] widths)
    {
        line.Clear();
        for (var i = 0; i < cells.Length; i++)
        {
            line.Append(cells[i]);
            if (i < cells.Length - 1)
                line.Append(' ', widths[i] - cells[i].Length + 2);
        }
        output.WriteLine(line.ToString().TrimEnd());
    }
}
