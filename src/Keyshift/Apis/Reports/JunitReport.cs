using System.Xml.Linq;
using Keyshift.Apis.Diff;

namespace Keyshift.Apis.Reports;

/// <summary>JUnit XML for CI: one test case per check that fired, failing when any of its changes is at or above the threshold.</summary>
internal static class JunitReport
{
    public static void Write(ApiDiffResult result, IReadOnlyList<ApiChange> shown, Severity failOn, TextWriter output)
    {
        var cases = shown.GroupBy(c => c.Check).OrderBy(g => g.Key.Id, StringComparer.Ordinal).Select(group =>
        {
            var failing = group.Where(c => c.Severity >= failOn).ToList();
            var testCase = new XElement("testcase",
                new XAttribute("classname", "api-diff"),
                new XAttribute("name", $"{group.Key.Id} {group.Key.Name}"),
                new XAttribute("time", "0"));
            var text = string.Join("\n", group.Select(c => $"[{c.Severity.Name()}] {c.Message} ({c.Primary.File}:{c.Primary.Line}, #{c.Primary.Pointer})"));
            if (failing.Count > 0)
                testCase.Add(new XElement("failure", new XAttribute("message", $"{failing.Count} change(s) at or above {failOn.Name()}: {failing[0].Message}"), new XAttribute("type", failing.Max(c => c.Severity).Name()), text));
            else
                testCase.Add(new XElement("system-out", text));
            return testCase;
        }).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", $"api diff {result.Old.File} -> {result.New.File}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", 0),
            cases);
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        output.WriteLine(document.Declaration + Environment.NewLine + document.Root);
    }
}
