using System.CommandLine;
using Keyshift.Configuration;
using Keyshift.Planning;

namespace Keyshift.Cli.Commands;

/// <summary><c>--move ID</c> (repeatable) or <c>--all</c>: which moves a command acts on.</summary>
internal sealed class MoveSelection
{
    public Option<string[]> Move { get; } = new("--move") { Description = "A move's id (its source address, e.g. legacy:DB_PASSWORD); repeatable." };

    public Option<bool> All { get; } = new("--all") { Description = "Every move." };

    public void AddTo(Command command)
    {
        command.Options.Add(Move);
        command.Options.Add(All);
    }

    /// <summary>The chosen ids; bad input for an unknown id or, when <paramref name="required"/>, for neither option.</summary>
    public HashSet<string> Resolve(ParseResult parse, Plan plan, bool required)
    {
        var ids = parse.GetValue(Move) ?? [];
        var all = parse.GetValue(All);
        if (all && ids.Length > 0)
            throw new BadInputException(null, "--move", "give --move or --all, not both");
        if (ids.Length == 0 && !all && required)
            throw new BadInputException(null, "--move", "name the moves with --move ID (repeatable) or --all");
        if (ids.Length == 0)
            return plan.Moves.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var known = plan.Moves.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids.Where(id => !known.Contains(id)))
            throw new BadInputException(null, "--move", $"no move '{id}' in this migration; `keyshift status` lists them");
        return ids.ToHashSet(StringComparer.Ordinal);
    }
}
