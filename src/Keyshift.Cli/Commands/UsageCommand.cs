using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Issuers;
using Keyshift.Planning;
using Keyshift.State;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift usage</c>: per credential move, when the old and the new login were last seen, and by which source.</summary>
internal static class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("usage", "Show, per credential move, the last time the old and the new credential were seen and which telemetry source saw it " +
            "(from what `keyshift watch` and `keyshift retire` recorded). Exit 0.")
        {
            config, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var records = migration.LoadRecords();
            var rows = new List<Row>();
            foreach (var entry in migration.Config.Moves.Where(m => m.Issuer is not null && migration.Config.Issuers.ContainsKey(m.Issuer)))
            {
                var issuer = migration.Config.Issuers[entry.Issuer!];
                var sources = issuer.TelemetrySources(migration.Time).Select(s => s.Name).ToList();
                var record = records.GetValueOrDefault(entry.From);
                var newUser = record?.NewDescriptor is { } json ? CredentialDescriptor.FromJson(json).Username : null;
                var oldUser = UsageEvidence.OldUsername(record, entry.Account!);
                var old = UsageEvidence.LastSeen(migration, sources, oldUser);
                var fresh = newUser is null ? null : UsageEvidence.LastSeen(migration, sources, newUser);
                rows.Add(new Row(entry.From, record?.State ?? MoveState.Planned, oldUser, Last(old), newUser, Last(fresh), sources.Count == 0));
            }
            if (parse.GetValue(format) == "json")
            {
                context.WriteJson(new { moves = rows });
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Move", "State", "Old login", "Old last seen", "New login", "New last seen");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Move), Names.State(r.State), Markup.Escape(r.OldUsername), Markup.Escape(Text(r.Old, r.NoTelemetry)), Markup.Escape(r.NewUsername ?? "not issued"), Markup.Escape(r.NewUsername is null ? "" : Text(r.New, r.NoTelemetry)));
            context.Console.Write(table);
            await Task.CompletedTask;
            return ExitCodes.Success;
        });
        return command;
    }

    private static Seen? Last(ObservationRecord? o) => o is null ? null : new Seen(o.Time, o.Source, o.Detail);

    private static string Text(Seen? seen, bool noTelemetry) =>
        noTelemetry ? "no usage evidence (no telemetry source)" : seen is null ? "not seen" : $"{seen.At:u} ({seen.Source})";

    private sealed record Seen(DateTimeOffset At, string Source, string? Detail);

    private sealed record Row(string Move, MoveState State, string OldUsername, Seen? Old, string? NewUsername, Seen? New, bool NoTelemetry);
}
