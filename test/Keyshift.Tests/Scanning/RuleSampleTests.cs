using Keyshift.Scanning;
using Keyshift.Scanning.Rules;

namespace Keyshift.Tests.Scanning;

/// <summary>The one test every rule passes (gitleaks style): its own true positives are found, its false positives are not.</summary>
public sealed class RuleSampleTests
{
    public static TheoryData<string> RuleIds() => [.. BuiltInRules.All.Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void EveryRule_FindsItsTruePositives_AndNotItsFalsePositives(string id)
    {
        var rule = BuiltInRules.All.Single(r => r.Id == id);
        rule.TruePositives.ShouldNotBeEmpty($"{id} has no true-positive samples");
        rule.FalsePositives.ShouldNotBeEmpty($"{id} has no false-positive samples");
        var scanner = new Scanner(new ScanOptions());
        var problems = new List<string>();
        foreach (var sample in rule.TruePositives)
        {
            if (!rule.Keywords.Any(k => sample.Text.Contains(k, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"true positive holds none of the rule's keywords: {sample.Text}");
            if (!scanner.ScanText(sample.Text, sample.File).Any(f => f.RuleId == id))
                problems.Add($"missed true positive ({sample.File}): {sample.Text}");
        }
        foreach (var sample in rule.FalsePositives)
        {
            var hits = scanner.ScanText(sample.Text, sample.File).Where(f => f.RuleId == id).ToList();
            if (hits.Count > 0)
                problems.Add($"flagged false positive ({sample.File}): {sample.Text}");
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void RuleIds_AreUnique()
    {
        BuiltInRules.All.Select(r => r.Id).ShouldBeUnique();
    }
}
