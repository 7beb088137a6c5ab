using Keyshift.Configuration;
using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Cli;

/// <summary>The words and colours the CLI uses for states and outcomes, the same in every table.</summary>
internal static class Names
{
    public static string Mode(MigrationMode mode) => mode switch
    {
        MigrationMode.StorageReplacement => "storage-replacement",
        MigrationMode.CredentialReplacement => "credential-replacement",
        _ => "control-plane-replacement",
    };

    public static string State(MoveState state) => state switch
    {
        MoveState.Planned => "planned",
        MoveState.Staged => "[blue]staged[/]",
        MoveState.Verified => "[cyan]verified[/]",
        MoveState.DualRun => "[yellow]dual-run[/]",
        MoveState.Retired => "[green]retired[/]",
        MoveState.RolledBack => "[grey]rolled-back[/]",
        MoveState.Failed => "[red]failed[/]",
        _ => "[red bold]compromised[/]",
    };

    public static string Outcome(PlanOutcome outcome) => outcome switch
    {
        PlanOutcome.Create => "[green]create[/]",
        PlanOutcome.Update => "[yellow]update[/]",
        PlanOutcome.NoOp => "no-op",
        PlanOutcome.Conflict => "[red]conflict[/]",
        PlanOutcome.Overwrite => "[red]overwrite[/]",
        PlanOutcome.InProgress => "in progress",
        _ => "done",
    };

    public static string Until(MoveState state) => state switch
    {
        MoveState.Staged => "staged",
        MoveState.Verified => "verified",
        MoveState.DualRun => "cutover",
        _ => "retired",
    };
}
