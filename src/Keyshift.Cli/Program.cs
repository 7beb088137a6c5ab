using Keyshift.Cli;

return await KeyshiftCommand.RunAsync(args, CliContext.ForConsole());
