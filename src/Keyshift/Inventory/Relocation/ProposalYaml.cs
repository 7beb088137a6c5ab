using System.Text;

namespace Keyshift.Inventory.Relocation;

/// <summary>Writes the proposal as a commented <c>keyshift.yaml</c>: addresses, locations, masks and short fingerprints, never values.</summary>
internal static class ProposalYaml
{
    public static string Write(RelocationProposal proposal, RelocationRequest request, string patchName)
    {
        var y = new StringBuilder();
        y.Append($"# Proposed by `keyshift init --from-scan {request.ScanPath}`: relocates {proposal.Moves.Count + proposal.Manual.Count} hardcoded secret(s)\n");
        y.Append($"# into {proposal.TargetStore} ({request.IntoType}). Review every line; no value is written here: the moves read them\n");
        y.Append("# from the source stores. Then: keyshift plan, keyshift apply --until verified, apply the reference patch\n");
        y.Append($"# ({patchName}; see docs/commands/init.md), keyshift apply --until cutover, keyshift retire.\n");
        y.Append("version: 1\nname: relocate-hardcoded-secrets\nmode: storage-replacement\nstores:\n");
        foreach (var source in proposal.Sources)
            y.Append($"  {source.Name}: {{ type: {source.Type}, path: {Quote(source.ConfigPath)} }}\n");
        y.Append($"  {proposal.TargetStore}: {{ type: {request.IntoType}, path: {Quote(request.IntoPath)} }}\n");
        if (proposal.Moves.Count == 0)
        {
            y.Append("moves: []   # no hardcoded secret sits in a file Keyshift can read as a store; see the TODO list below\n");
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
            y.Append("\n# Hardcoded secrets in files that are not a store (source code, properties…). Keyshift cannot read them as a\n");
            y.Append("# store, so move each value by hand to the address shown, then apply the patch that references it.\n");
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
