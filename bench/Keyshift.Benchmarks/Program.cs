using BenchmarkDotNet.Running;
using Keyshift.Benchmarks.Apis;

// `openapi N` writes the generated document pair (N resources) for CLI timing and peak-memory runs.
if (args is ["openapi", var resources])
{
    Console.WriteLine(OpenApiGenerator.WriteFiles(int.Parse(resources, System.Globalization.CultureInfo.InvariantCulture)));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
