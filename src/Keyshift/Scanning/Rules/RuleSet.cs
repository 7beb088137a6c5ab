namespace Keyshift.Scanning.Rules;

/// <summary>
/// The rules of one run, and for each family of files the rules that apply to it together with the union
/// of their keywords: the prefilter that keeps most content away from every regular expression.
/// </summary>
internal sealed class RuleSet
{
    private readonly Dictionary<FileKinds, ApplicableRules> _byKind = [];

    public RuleSet(IReadOnlyList<Rule> rules)
    {
        Rules = rules;
        foreach (var kind in new[] { FileKinds.Config, FileKinds.Source, FileKinds.Script, FileKinds.Shell, FileKinds.Batch })
        {
            _byKind[kind] = new ApplicableRules(rules.Where(r => (r.Files & kind) != 0).ToArray());
        }
    }

    public static RuleSet BuiltIn { get; } = new(BuiltInRules.All);

    public IReadOnlyList<Rule> Rules { get; }

    public ApplicableRules For(FileKinds kind) => _byKind[kind];

    /// <summary>A new set with <paramref name="extra"/> (custom rules) first, so they win over built-in ones on the same characters.</summary>
    public RuleSet With(IReadOnlyList<Rule> extra) => extra.Count == 0 ? this : new RuleSet([.. extra, .. Rules]);
}
