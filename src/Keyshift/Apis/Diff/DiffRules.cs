using Keyshift.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Apis.Diff;

/// <summary>
/// A team's rules file: severity overrides per check (id or name) and ignores for accepted changes, each with a
/// required reason. An ignore that matches nothing is reported, so stale ones get cleaned up.
/// </summary>
internal sealed record DiffRules
{
    public static readonly DiffRules None = new();

    public IReadOnlyDictionary<ApiCheck, Severity> Severities { get; init; } = new Dictionary<ApiCheck, Severity>();

    public IReadOnlyList<DiffIgnore> Ignores { get; init; } = [];

    public static DiffRules Load(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException(null, path, "rules file not found");
        YamlStream yaml = [];
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new BadInputException(new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column), "", $"not valid YAML ({e.Message})");
        }
        if (yaml.Documents.Count == 0)
            return None;
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException(new SourceLocation(path, 1), "", "a rules file is a mapping with 'severity' and/or 'ignore'");
        var errors = new ErrorList();
        var settings = new Settings(root, path, "", errors);
        settings.AllowOnly("severity", "ignore");
        var severities = new Dictionary<ApiCheck, Severity>();
        if (settings.Section("severity") is { } section)
        {
            foreach (var key in section.Keys)
            {
                var check = ApiChecks.Find(key);
                var severity = SeverityText.Parse(section.String(key));
                if (check is null)
                    section.Error(key, "names no check; use an id such as KS-API-001 or a name such as path-removed");
                else if (severity is null)
                    section.Error(key, "expected breaking, warning or info");
                else
                    severities[check] = severity.Value;
            }
        }
        var ignores = new List<DiffIgnore>();
        if (settings.Node("ignore") is YamlSequenceNode list)
        {
            var index = 0;
            foreach (var item in list)
            {
                var field = $"ignore[{index++}]";
                if (item is not YamlMappingNode map)
                {
                    errors.Add(settings.Locate(item), field, "expected a mapping with check, operation and reason");
                    continue;
                }
                var entry = new Settings(map, path, field, errors);
                entry.AllowOnly("check", "operation", "reason");
                var checkText = entry.RequireString("check");
                var reason = entry.RequireString("reason");
                var check = checkText.Length == 0 ? null : ApiChecks.Find(checkText);
                if (checkText.Length > 0 && check is null)
                    entry.Error("check", $"'{checkText}' names no check");
                if (check is not null && reason.Length > 0)
                    ignores.Add(new DiffIgnore(check, entry.String("operation"), reason, entry.Location));
            }
        }
        else if (settings.Has("ignore"))
            settings.Error("ignore", "expected a list");
        errors.ThrowIfAny();
        return new DiffRules { Severities = severities, Ignores = ignores };
    }
}
