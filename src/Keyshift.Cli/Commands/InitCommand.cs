using System.CommandLine;
using Keyshift.Configuration;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift init</c>: writes a commented starter <c>keyshift.yaml</c>.</summary>
internal static class InitCommand
{
    private const string Template = """
        # Keyshift migration — docs/configuration.md explains every field.
        version: 1
        name: my-migration
        mode: storage-replacement          # storage-replacement | credential-replacement | control-plane-replacement
        stores:
          legacy: { type: dotenv, path: .env }
          governed: { type: json, path: governed/secrets.json }
        consumers:
          my-service: { owner: my-team, environment: production }
        moves:
          - from: legacy:DB_PASSWORD               # the secret as it is today
            to: governed:my-service/db#password    # where it goes
            owner: my-team
            rotation: 30d
            consumers: [my-service]
          # - from: legacy:STRIPE_*                # a pattern: {name} is the whole matched key, {match} what * matched
          #   to: governed:my-service/stripe#{name}
        policy: { requireOwner: true, maxAge: 90d }
        cutover: { dualRun: 72h, quietWindow: 24h, approvals: 1 }
        # onConflict: overwrite                  # replace target values Keyshift did not write (rollback restores them)

        """;

    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var command = new Command("init", "Write a commented starter keyshift.yaml (never over an existing file). Then: keyshift plan, keyshift apply --until cutover, keyshift status, keyshift retire.")
        {
            config,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config)!;
            if (file.Exists)
                throw new BadInputException(null, "--config", $"{file.FullName} already exists; Keyshift does not overwrite it");
            Directory.CreateDirectory(file.DirectoryName!);
            File.WriteAllText(file.FullName, Template.ReplaceLineEndings("\n"));
            context.Console.MarkupLine($"Wrote {Markup.Escape(file.FullName)}. Edit the stores and moves, then run [bold]keyshift plan -c {Markup.Escape(file.Name)}[/].");
            return ExitCodes.Success;
        });
        return command;
    }
}
