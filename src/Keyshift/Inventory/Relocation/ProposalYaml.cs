using System.Text;

namespace Keyshift.Inventory.Relocation;

/// <summary>Writes the proposal as a commented <c>keyshift.yaml</c>: addresses, locations, masks and short fingerprints, never values.</summary>
internal static class ProposalYaml
{
    public static string Write(RelocationProposal proposal, RelocationRequest request, string patchName)
    {
        var y = new StringBuilder();
        y.Append($"# Proposed by `keyshift init --from-scan {request.ScanPath}`: relocates {proposal.Moves.Count + proposal.Hardcoded.Sum(h => h.Values.Count(v => v.Follows is not null)) + proposal.Manual.Count} hardcoded secret(s)\n");
        y.Append($"# into {proposal.TargetStore} ({request.IntoType}). Review every line; no value is written here: the moves read them\n");
        y.Append("# from the source stores (hardcoded stores name each value's span and keyed fingerprint). Then: keyshift plan,\n");
        y.Append("# keyshift apply --until verified, keyshift apply --until cutover (rewrites each hardcoded span to ${NAME}; the\n");
        y.Append($"# reviewable diff is {patchName}, see docs/commands/init.md), keyshift retire.\n");
        y.Append("version: 1\nname: relocate-hardcoded-secrets\nmode: storage-replacement\nstores:\n");
        foreach (var source in proposal.Sources)
            y.Append($"  {source.Name}: {{ type: {source.Type}, path: {Quote(source.ConfigPath)} }}\n");
        foreach (var source in proposal.Hardcoded)
        {
            y.Append($"  {source.Name}:\n    type: hardcoded\n    path: {Quote(source.ConfigPath)}\n");
            y.Append(request.Backup
                ? "    backup: true   # cutover keeps FILE.keyshift.bak, which still holds the old values: delete it once done\n"
                : "    # backup: true   # keep FILE.keyshift.bak at cutover (it keeps the old values on disk)\n");
            y.Append("    values:\n");
            foreach (var v in source.Values)
                y.Append($"      {v.Name}: {{ line: {v.Line}, column: {v.Column}, length: {v.Length}, fingerprint: '{v.Finding.Fingerprint}' }}   # {v.Finding.RuleId} {v.Finding.Masked}{(v.Follows is { } f ? $"; same value as {f}: rewritten when that move cuts over" : "")}\n");
        }
        y.Append($"  {proposal.TargetStore}: {{ type: {request.IntoType}, path: {Quote(request.IntoPath)} }}\n");
        if (proposal.Moves.Count == 0)
        {
            y.Append("moves: []   # no hardcoded secret sits at a span Keyshift can declare; see the TODO list below\n");
        }
        else
        {
            y.Append("moves:\n");
            foreach (var move in proposal.Moves)
            {
                var f = move.Finding;
                y.Append($"  - from: {Quote(move.From.ToString())}   # {f.Location} {f.RuleId} {f.Masked} fingerprint {f.Fingerprint?.Short}; referenced as ${{{move.Name}}}\n");
                y.Append($"    to: {Quote(move.To.ToString())}\n");
                y.Append("    # owner: TODO the team that owns this credential\n");
            }
        }
        y.Append("cutover: { dualRun: 72h, quietWindow: 24h, approvals: 1 }\n");
        if (proposal.Manual.Count > 0)
        {
            y.Append("\n# Hardcoded secrets no move can relocate: a value over several lines, a repeated value in one file, a value inside a\n");
            y.Append("# longer entry of a file that a store move already drains. Move each value by hand to the address shown, then\n");
            y.Append("# apply the patch hunk that references it (keyshift init --from-scan --apply does that in files no move reads).\n");
            foreach (var m in proposal.Manual)
            {
                var what = m.CoveredBy is { } move
                    ? $"same value as {move}, relocated by its move to {m.ProposedTarget}: only the reference is needed"
                    : $"move the value to {m.ProposedTarget}";
                y.Append($"# TODO {m.Finding.Location} {m.Finding.RuleId} {m.Finding.Masked} fingerprint {m.Finding.Fingerprint?.Short}: {what} (referenced as ${{{m.Name}}})\n");
            }
        }
        return y.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
