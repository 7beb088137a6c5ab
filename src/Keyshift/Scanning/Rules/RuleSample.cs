namespace Keyshift.Scanning.Rules;

/// <summary>A sample line (or block) for a rule, scanned as the content of <see cref="File"/>.</summary>
internal sealed record RuleSample(string Text, string File = "sample.conf")
{
    public static implicit operator RuleSample(string text) => new(text);
}
