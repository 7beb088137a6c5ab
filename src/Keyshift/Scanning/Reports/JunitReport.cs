using System.Xml;

namespace Keyshift.Scanning.Reports;

/// <summary><c>--format junit</c>: one test case per finding; a secret is a failure, a reference passes.</summary>
internal static class JunitReport
{
    public static void Write(ScanReport report, Stream output)
    {
        var secrets = report.SecretCount;
        var cases = Math.Max(1, report.Findings.Count);
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "keyshift scan");
        xml.WriteAttributeString("tests", cases.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", secrets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "keyshift scan");
        xml.WriteAttributeString("tests", cases.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", secrets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", "0");
        if (report.Findings.Count == 0)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "keyshift.scan");
            xml.WriteAttributeString("name", "no hardcoded secrets");
            xml.WriteEndElement();
        }
        var rules = report.Rules.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var finding in report.Findings)
        {
            var rule = rules.GetValueOrDefault(finding.RuleId);
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", finding.Location.Path);
            xml.WriteAttributeString("name", $"{finding.RuleId} at {finding.Location}");
            xml.WriteAttributeString("file", finding.Location.Path);
            xml.WriteAttributeString("line", finding.Location.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (finding.Kind == FindingKind.Secret)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("type", finding.RuleId);
                xml.WriteAttributeString("message", ScanReport.Message(finding, rule));
                xml.WriteString($"{finding.Location}: {ScanReport.Message(finding, rule)}");
                xml.WriteEndElement();
            }
            else
            {
                xml.WriteElementString("system-out", ScanReport.Message(finding, rule));
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }
}
