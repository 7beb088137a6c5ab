namespace Keyshift.Apis.Diff;

/// <summary>How much a change matters to a consumer; ordered so comparisons read naturally.</summary>
internal enum Severity
{
    Info = 0,
    Warning = 1,
    Breaking = 2,
}
