using System.Reflection;
using System.Text;
using Keyshift.Audit;
using Keyshift.Cli;
using Keyshift.Secrets;

namespace Keyshift.Tests.Audit;

public sealed class AuditSecretTests
{
    [Fact]
    public async Task TypicalEngineEntries_NeverContainTheValue_InTheLogOrItsExports()
    {
        using var f = new AuditFixture();
        var canary = "ks-canary-" + Guid.NewGuid().ToString("N");
        var value = SecretValue.FromUtf8(canary);

        // What the engine records around a stage step: fingerprints, addresses, sizes, states — never the value.
        using (var log = f.Open())
        {
            var evidence = AuditEvidence.None
                .With("sourceFingerprint", f.Key.Of(value))
                .With("target", SecretAddress.Parse("governed:payments/db#password"))
                .With("bytes", value.Length)
                .With("dryRun", false)
                .With("state", AuditProblemKind.Edited)
                .WithText("value", value.ToString()!);
            log.Append(new AuditRecord { Action = "stage", Result = "intent", Move = "legacy:DB_PASSWORD", Step = "stage", Evidence = evidence });
            log.Append(new AuditRecord { Action = "stage", Result = "ok", Move = "legacy:DB_PASSWORD", Step = "stage", Evidence = evidence });
        }
        var outputs = new List<string> { await File.ReadAllTextAsync(f.LogPath, TestContext.Current.CancellationToken) };
        foreach (var format in new[] { "json", "jsonl", "checkpoint" })
            outputs.Add(await Cli("audit", "export", "-c", f.ConfigPath, "--format", format));
        outputs.Add(await Cli("audit", "verify", "-c", f.ConfigPath, "--format", "json"));

        string[] forms =
        [
            canary,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(canary)),
            Convert.ToHexStringLower(Encoding.UTF8.GetBytes(canary)),
            Convert.ToHexString(Encoding.UTF8.GetBytes(canary)),
            Uri.EscapeDataString(canary),
        ];
        foreach (var output in outputs)
        {
            foreach (var form in forms)
                output.ShouldNotContain(form);
        }
        outputs[0].ShouldContain(f.Key.Of(value).Hex);
    }

    [Fact]
    public void AuditApi_TakesNoSecretValueOrObject()
    {
        var types = typeof(AuditLog).Assembly.GetTypes().Where(t => t.Namespace == "Keyshift.Audit" && t.IsPublic).ToList();
        types.ShouldContain(typeof(AuditEvidence));

        var offenders = new List<string>();
        foreach (var type in types)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (method.Name == nameof(Equals))
                    continue;
                foreach (var parameter in method.GetParameters())
                {
                    if (IsForbidden(parameter.ParameterType))
                        offenders.Add($"{type.Name}.{method.Name}({parameter.Name})");
                }
            }
            foreach (var property in type.GetProperties(all))
            {
                if (IsForbidden(property.PropertyType))
                    offenders.Add($"{type.Name}.{property.Name}");
            }
        }
        offenders.ShouldBeEmpty();

        static bool IsForbidden(Type t) =>
            t == typeof(SecretValue) || t == typeof(object) || (t.IsGenericType && t.GetGenericArguments().Any(IsForbidden));
    }

    private static async Task<string> Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        (await KeyshiftCommand.RunAsync(args, stdout, stderr)).ShouldBe(0, stderr.ToString());
        return stdout + stderr.ToString();
    }
}
