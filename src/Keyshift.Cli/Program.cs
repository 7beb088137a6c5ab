using Keyshift.Cli;

// The gateway mostly moves bytes between sockets: finishing socket operations on the thread that saw them complete,
// instead of queueing each to the thread pool, is most of its throughput on a small machine (docs/performance.md,
// gateway). The runtime reads this once, when the first socket operation starts, so it is set before anything else.
if (args is ["gateway", ..] && Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return await KeyshiftCommand.RunAsync(args, CliContext.ForConsole());
