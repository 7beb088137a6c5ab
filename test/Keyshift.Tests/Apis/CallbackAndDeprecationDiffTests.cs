using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class CallbackAndDeprecationDiffTests
{
    private static string Subscribe(string callbackSchema) => Head30 + $$$$"""
        paths:
          /subscriptions:
            post:
              callbacks:
                onEvent:
                  '{$request.body#/url}':
                    post:
                      requestBody: {content: {application/json: {schema: {{{{callbackSchema}}}}}}}
                      responses: {'200': {description: ok}}
              responses: {'201': {description: ok}}
        """;

    [Fact]
    public void CallbackBody_UsesResponseRules_BecauseTheConsumerReceivesIt()
    {
        var changes = Diff(Subscribe("{type: object, properties: {id: {type: string}, kind: {type: string}}}"), Subscribe("{type: object, properties: {id: {type: string}}}"));
        var change = changes.Single(ApiChecks.ResponsePropertyRemoved);
        change.ShouldBeAt(Severity.Breaking, 10, 10);
        change.Message.ShouldContain("`kind` in the body of callback onEvent");
        change.Operations.ShouldBe(["POST /subscriptions"]);
    }

    [Fact]
    public void CallbackBody_NewRequiredPropertyIsNotBreaking_TheConsumerJustReceivesMore()
    {
        var changes = Diff(Subscribe("{type: object, properties: {id: {type: string}}}"), Subscribe("{type: object, required: [at], properties: {id: {type: string}, at: {type: string}}}"));
        changes.ShouldAllBe(c => c.Severity == Severity.Info);
    }

    [Fact]
    public void CallbackRemovedIsBreaking_AddedIsInfo()
    {
        const string without = Head30 + "paths:\n  /subscriptions:\n    post:\n      responses: {'201': {description: ok}}\n";
        var with = Subscribe("{type: object}");
        Diff(with, without).Single(ApiChecks.CallbackRemoved).ShouldBeAt(Severity.Breaking, 8, 5);
        Diff(without, with).Single(ApiChecks.CallbackAdded).Severity.ShouldBe(Severity.Info);
    }

    private static string Webhooks(string hooks) => Head31 + "webhooks:\n" + hooks;

    [Fact]
    public void WebhookRemovedIsBreaking_AddedIsInfo_ChangedUsesReceiveRules()
    {
        const string paid = "  orderPaid:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object, properties: {total: {type: integer}, currency: {type: string}}}}}}\n      responses: {'200': {description: ok}}\n";
        const string refunded = "  orderRefunded:\n    post:\n      responses: {'200': {description: ok}}\n";
        var removed = Diff(Webhooks(paid + refunded), Webhooks(paid)).Single(ApiChecks.WebhookRemoved);
        removed.ShouldBeAt(Severity.Breaking, 9, 3);
        removed.Operations.ShouldBe(["webhook orderRefunded"]);
        Diff(Webhooks(paid), Webhooks(paid + refunded)).Single(ApiChecks.WebhookAdded).Severity.ShouldBe(Severity.Info);
        var changed = Diff(Webhooks(paid), Webhooks(paid.Replace(", currency: {type: string}", "", StringComparison.Ordinal))).Single(ApiChecks.ResponsePropertyRemoved);
        changed.Message.ShouldContain("`currency` in the body of webhook orderPaid (POST)");
    }

    private static string Refunds(string extra) => Head30 + $"paths:\n  /refunds:\n    post:\n{extra}      responses: {{'201': {{description: ok}}}}\n  /charges:\n    get:\n      responses: {{'200': {{description: ok}}}}\n";

    [Fact]
    public void Deprecated_IsInfo_SunsetAnnounced_IsWarning()
    {
        var changes = Diff(Refunds(""), Refunds("      deprecated: true\n      x-sunset: '2027-03-31'\n"));
        changes.Single(ApiChecks.OperationDeprecated).ShouldBeAt(Severity.Info, 5, 6);
        var sunset = changes.Single(ApiChecks.SunsetAnnounced);
        sunset.ShouldBeAt(Severity.Warning, 5, 7);
        sunset.Message.ShouldContain("will be removed on 2027-03-31");
    }

    [Fact]
    public void SunsetMovedEarlierIsWarning_LaterIsInfo()
    {
        Diff(Refunds("      x-sunset: '2027-03-31'\n"), Refunds("      x-sunset: '2027-01-31'\n")).Single(ApiChecks.SunsetAnnounced).Message.ShouldContain("moved earlier");
        Diff(Refunds("      x-sunset: '2027-03-31'\n"), Refunds("      x-sunset: '2027-06-30'\n")).Single(ApiChecks.SunsetPostponed).Severity.ShouldBe(Severity.Info);
    }

    [Fact]
    public void RemovedBeforeSunset_IsBreaking_AfterSunset_IsWarning()
    {
        var old = Refunds("      deprecated: true\n      x-sunset: '2027-03-31'\n");
        const string @new = Head30 + "paths:\n  /charges:\n    get:\n      responses: {'200': {description: ok}}\n";
        var early = Diff(old, @new, today: new DateOnly(2026, 11, 22)).Single(ApiChecks.RemovedBeforeSunset);
        early.ShouldBeAt(Severity.Breaking, 5, 3);
        early.Message.ShouldContain("removed before its sunset date 2027-03-31");
        Diff(old, @new, today: new DateOnly(2027, 4, 1)).Single(ApiChecks.RemovedAfterSunset).Severity.ShouldBe(Severity.Warning);
        Diff(old, @new, today: new DateOnly(2027, 4, 1)).ShouldNotHave(ApiChecks.PathRemoved);
    }
}
