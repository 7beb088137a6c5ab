using System.CommandLine;
using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.State;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift approve</c>: records an approval of retirement (the approvals gate counts distinct names).</summary>
internal static class ApproveCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var selection = new MoveSelection();
        var by = new Option<string>("--by") { Description = "Who approves (recorded in state and in the audit log).", Required = true };
        var command = new Command("approve", "Approve the retirement of moves. cutover.approvals distinct approvers are needed before retire removes the old path.")
        {
            config, by,
        };
        selection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(by)!.Trim();
            if (name.Length == 0)
                throw new BadInputException(null, "--by", "name who approves");
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var plan = await Planner.CreateAsync(migration, ct);
            var ids = selection.Resolve(parse, plan, required: true);
            migration.Persist();
            var existing = migration.Db.Approvals.Where(a => a.By == name).Select(a => a.MoveId).ToHashSet(StringComparer.Ordinal);
            var entries = new List<AuditRecord>();
            foreach (var id in ids.Where(id => !existing.Contains(id)).Order(StringComparer.Ordinal))
            {
                migration.Db.Approvals.Add(new Approval { MoveId = id, By = name, At = context.Time.GetUtcNow() });
                entries.Add(new AuditRecord { Action = "approve", Result = "ok", Move = id, Step = "retire", Actor = "approver:" + name });
            }
            migration.Commit(entries);
            context.Console.MarkupLine($"{ids.Count - existing.Intersect(ids).Count()} moves approved by {Markup.Escape(name)} ({existing.Intersect(ids).Count()} already were).");
            return ExitCodes.Success;
        });
        return command;
    }
}
