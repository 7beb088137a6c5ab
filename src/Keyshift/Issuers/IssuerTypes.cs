using Keyshift.Issuers.Http;
using Keyshift.Issuers.Postgres;
using Keyshift.Issuers.RabbitMq;
using Keyshift.Issuers.Redis;
using Keyshift.Issuers.X509;

namespace Keyshift.Issuers;

/// <summary>The issuer types <c>keyshift.yaml</c> can name, and how each is built.</summary>
public static class IssuerTypes
{
    private static readonly Dictionary<string, Func<IssuerContext, Issuer?>> Factories = new(StringComparer.Ordinal)
    {
        ["postgres"] = PostgresIssuer.Create,
        ["redis"] = RedisIssuer.Create,
        ["rabbitmq"] = RabbitMqIssuer.Create,
        ["x509"] = X509Issuer.Create,
        ["http"] = HttpIssuer.Create,
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds the issuer, or returns null after reporting the problems into the context's error list.</summary>
    public static Issuer? Create(string type, IssuerContext context)
    {
        if (Factories.TryGetValue(type, out var factory))
            return factory(context);
        context.Settings.Error("type", $"unknown issuer type '{type}'; known: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}");
        return null;
    }
}
