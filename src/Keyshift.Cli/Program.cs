using Keyshift.Cli;

return await KeyshiftCommand.RunAsync(args, Console.Out, Console.Error);
