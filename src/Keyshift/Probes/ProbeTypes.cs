namespace Keyshift.Probes;

/// <summary>The probe types a move's <c>probes:</c> can name, and how each is built.</summary>
public static class ProbeTypes
{
    private static readonly Dictionary<string, Func<ProbeContext, Probe>> Factories = new(StringComparer.Ordinal)
    {
        ["postgres"] = PostgresProbe.Create,
        ["redis"] = RedisProbe.Create,
        ["rabbitmq"] = RabbitMqProbe.Create,
        ["http"] = HttpProbe.Create,
        ["tls"] = TlsProbe.Create,
        ["command"] = CommandProbe.Create,
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds the probe, or returns null after reporting the problems into the context's error list.</summary>
    public static Probe? Create(string type, ProbeContext context)
    {
        if (Factories.TryGetValue(type, out var factory))
            return factory(context);
        context.Settings.Error("type", $"unknown probe type '{type}'; known: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}");
        return null;
    }

    /// <summary>The <c>expect</c> setting (<c>success</c> or <c>refused</c>); the engine applies it, default success.</summary>
    public static ProbeExpectation Expectation(ProbeContext context) => context.Settings.String("expect") switch
    {
        null or "success" => ProbeExpectation.Success,
        "refused" => ProbeExpectation.Refused,
        var other => Report(context, other),
    };

    private static ProbeExpectation Report(ProbeContext context, string value)
    {
        context.Settings.Error("expect", $"'{value}' is not success or refused");
        return ProbeExpectation.Success;
    }
}
