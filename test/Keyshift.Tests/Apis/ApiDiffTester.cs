using Keyshift.Apis.Contracts;
using Keyshift.Apis.Diff;
using Keyshift.Apis.Documents;

namespace Keyshift.Tests.Apis;

/// <summary>Diffs two small documents written inline; YAML unless the text starts with '{'.</summary>
internal static class ApiDiffTester
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    public const string Head30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
    public const string Head31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

    public static List<ApiChange> Diff(string old, string @new, DateOnly? today = null)
    {
        var oldDoc = ApiDocumentLoader.Parse(old, "old.yaml");
        var newDoc = ApiDocumentLoader.Parse(@new, "new.yaml");
        return ApiDiff.Compare(ApiContract.Read(oldDoc), ApiContract.Read(newDoc), today ?? Today);
    }

    /// <summary>The one change of the given check; fails listing every change when there is not exactly one.</summary>
    public static ApiChange Single(this List<ApiChange> changes, ApiCheck check)
    {
        var found = changes.Where(c => c.Check == check).ToList();
        found.Count.ShouldBe(1, $"expected one {check}, got:\n{string.Join("\n", changes.Select(c => $"{c.Check} {c.Message}"))}");
        return found[0];
    }

    public static void ShouldNotHave(this List<ApiChange> changes, ApiCheck check) =>
        changes.Where(c => c.Check == check).ShouldBeEmpty($"unexpected {check}: {string.Join("; ", changes.Where(c => c.Check == check).Select(c => c.Message))}");

    public static void ShouldBeAt(this ApiChange change, Severity severity, int? oldLine, int? newLine)
    {
        change.Severity.ShouldBe(severity, change.Message);
        change.Old?.Line.ShouldBe(oldLine ?? -1, change.Message);
        if (oldLine is null)
            change.Old.ShouldBeNull(change.Message);
        change.New?.Line.ShouldBe(newLine ?? -1, change.Message);
        if (newLine is null)
            change.New.ShouldBeNull(change.Message);
    }
}
