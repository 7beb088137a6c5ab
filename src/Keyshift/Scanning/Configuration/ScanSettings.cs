using System.Text.RegularExpressions;
using Keyshift.Configuration;
using Keyshift.Scanning.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Scanning.Configuration;

/// <summary>
/// Reads the <c>scan:</c> section of keyshift.yaml:
/// <code>
/// scan:
///   maxFileSize: 10          # MB
///   rules: [{ id, description, pattern, keywords, entropy, kind: secret|reference }]
///   allow: { paths: [globs], patterns: [regex on the secret value] }
/// </code>
/// Every problem is reported with file, line and field.
/// </summary>
internal static class ScanSettings
{
    private static readonly TimeSpan CustomPatternTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Loads <paramref name="configPath"/> and reads its <c>scan</c> section (empty when absent).</summary>
    public static ScanConfig Load(string configPath)
    {
        var errors = new ErrorList();
        YamlStream stream = new();
        try
        {
            using var reader = new StreamReader(configPath);
            stream.Load(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(new SourceLocation(configPath, 1), "", $"cannot read: {e.Message}");
        }
        catch (YamlException e)
        {
            throw new BadInputException(new SourceLocation(configPath, (int)e.Start.Line, (int)e.Start.Column), "", $"not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0)
            return ScanConfig.Empty;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException(new SourceLocation(configPath, 1), "", "expected a mapping at the top level");
        var section = new Settings(root, configPath, "", errors).Section("scan");
        var config = section is null ? ScanConfig.Empty : Read(section);
        errors.ThrowIfAny();
        return config;
    }

    /// <summary>Reads the <c>scan</c> mapping; problems go to <see cref="Settings.Errors"/>. The config loader calls this.</summary>
    public static ScanConfig Read(Settings scan)
    {
        scan.AllowOnly("rules", "allow", "maxFileSize");
        var rules = new List<Rule>();
        if (scan.Node("rules") is YamlSequenceNode list)
        {
            var index = 0;
            foreach (var item in list)
            {
                if (item is YamlMappingNode map)
                {
                    var rule = ReadRule(new Settings(map, scan.File, scan.Field($"rules[{index}]"), scan.Errors));
                    if (rule is not null)
                        rules.Add(rule);
                }
                else
                {
                    scan.Errors.Add(scan.Locate(item), scan.Field($"rules[{index}]"), "expected a mapping with id, pattern and keywords");
                }
                index++;
            }
        }
        else if (scan.Has("rules"))
        {
            scan.Error("rules", "expected a list of rules");
        }
        var duplicate = rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            scan.Error("rules", $"rule id '{duplicate.Key}' appears twice");
        var allow = scan.Section("allow");
        var maxMb = scan.Int("maxFileSize", 1, 4096);
        return new ScanConfig
        {
            Rules = rules,
            Allow = allow is null ? Allowlist.Empty : ReadAllow(allow),
            MaxFileBytes = maxMb is { } mb ? mb * 1024L * 1024L : null,
        };
    }

    private static Rule? ReadRule(Settings rule)
    {
        rule.AllowOnly("id", "description", "pattern", "keywords", "entropy", "kind");
        var id = rule.RequireString("id");
        var text = rule.RequireString("pattern");
        var keywords = rule.StringList("keywords")?.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keywords is null || keywords.Count == 0)
            rule.Errors.Add(rule.Location, rule.Field("keywords"), "is required: list at least one word every match contains (the keyword prefilter)");
        var kindText = rule.String("kind") ?? "secret";
        var kind = kindText switch { "secret" => FindingKind.Secret, "reference" => FindingKind.Reference, _ => (FindingKind?)null };
        if (kind is null)
            rule.Error("kind", $"expected secret or reference, got '{kindText}'");
        double? entropy = null;
        if (rule.String("entropy") is { } entropyText)
        {
            if (double.TryParse(entropyText, System.Globalization.CultureInfo.InvariantCulture, out var e) && e is >= 0 and <= 8)
                entropy = e;
            else
                rule.Error("entropy", $"expected bits per character from 0 to 8, got '{entropyText}'");
        }
        var pattern = Compile(rule, "pattern", text);
        if (pattern is null || keywords is null || keywords.Count == 0 || kind is null || id.Length == 0)
            return null;
        if (kind == FindingKind.Reference && pattern.GroupNumberFromName("name") < 0)
        {
            rule.Error("pattern", "a reference rule needs a (?<name>…) group for the referenced name");
            return null;
        }
        return new Rule
        {
            Id = id,
            Description = rule.String("description") ?? id,
            Kind = kind.Value,
            Keywords = keywords,
            Pattern = pattern,
            Entropy = entropy,
            TruePositives = [],
            FalsePositives = [],
        };
    }

    private static Allowlist ReadAllow(Settings allow)
    {
        allow.AllowOnly("paths", "patterns");
        var paths = allow.StringList("paths") ?? [];
        var patterns = new List<Regex>();
        foreach (var text in allow.StringList("patterns") ?? [])
        {
            if (Compile(allow, "patterns", text) is { } regex)
                patterns.Add(regex);
        }
        return new Allowlist(paths, patterns, Path.GetDirectoryName(Path.GetFullPath(allow.File)));
    }

    private static Regex? Compile(Settings settings, string field, string text)
    {
        if (text.Length == 0)
            return null;
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, CustomPatternTimeout);
        }
        catch (ArgumentException e)
        {
            settings.Error(field, $"not a valid regular expression: {e.Message}");
            return null;
        }
    }
}
