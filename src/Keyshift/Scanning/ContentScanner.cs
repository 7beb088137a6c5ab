using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Keyshift.Scanning.Rules;
using Keyshift.Secrets;

namespace Keyshift.Scanning;

/// <summary>
/// Finds secrets and references in text. The union of all keywords is searched with one vectorised
/// <see cref="System.Buffers.SearchValues{T}"/> pass; only a line holding a keyword meets the rules whose
/// keywords it holds, and only a line some pattern matches is turned into a string. Lines longer than
/// <see cref="ScanOptions.MaxLineLength"/> are searched in windows around each keyword, so a minified file
/// costs no more than a normal one. The methods a scan calls per keyword or per finding are compiled fully optimised
/// at once: under tiered compilation a short scan ran them as unoptimised and then instrumented code for much of its life.
/// </summary>
internal sealed class ContentScanner(ScanOptions options)
{
    private const string AllowMarker = "keyshift:allow";
    private const int LookBehind = 256;

    private readonly List<(int Start, int End)> _taken = [];
    private const int MaxInterned = 100_000;

    private readonly List<(int At, int Keyword)> _hits = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private bool[] _marks = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Scan(ReadOnlySpan<char> text, ScanTarget target, List<Finding> output)
    {
        var applicable = options.Rules.For(target.Kind);
        if (_marks.Length < applicable.Rules.Count)
            _marks = new bool[applicable.Rules.Count];
        _taken.Clear();
        int pos = 0, lineStartOfPos = 0, lineNumber = target.FirstLine, countedTo = 0;
        while (pos < text.Length)
        {
            var hit = applicable.Keywords.Next(text, pos, text.Length, out _);
            if (hit < 0)
                break;
            var back = text[pos..hit].LastIndexOf('\n');
            var lineStart = back >= 0 ? pos + back + 1 : lineStartOfPos;
            var forward = text[hit..].IndexOf('\n');
            var lineEnd = forward >= 0 ? hit + forward : text.Length;
            lineNumber += text[countedTo..lineStart].Count('\n');
            countedTo = lineStart;

            int windowStart, windowEnd, next;
            if (lineEnd - lineStart <= options.MaxLineLength)
            {
                (windowStart, windowEnd, next) = (lineStart, lineEnd, lineEnd + 1);
            }
            else
            {
                windowStart = Math.Max(pos, Math.Max(lineStart, hit - LookBehind));
                windowEnd = Math.Min(lineEnd, hit + options.MaxLineLength);
                next = windowEnd == lineEnd ? lineEnd + 1 : windowEnd;
            }
            ScanWindow(text, windowStart, windowEnd, hit, lineStart, lineNumber, applicable, target, output);
            // The next search starts either on the next line or inside this (long) line: either way this is the
            // start of the line it starts on.
            lineStartOfPos = next > lineEnd ? next : lineStart;
            pos = next;
        }
    }

    /// <summary>Scans <c>text[start..end]</c>, whose first keyword is at <paramref name="firstHit"/> (none lies before it in the window).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanWindow(
        ReadOnlySpan<char> text, int start, int end, int firstHit, int lineStart, int lineNumber, ApplicableRules applicable, ScanTarget target, List<Finding> output)
    {
        var window = text[start..end];
        if (window.Contains(AllowMarker, StringComparison.Ordinal))
            return;
        if (_taken.Count > 32)
            _taken.RemoveAll(t => t.End <= start);
        var marks = _marks.AsSpan(0, applicable.Rules.Count);
        if (!applicable.Mark(text, firstHit, end, marks, _hits))
            return;
        string? windowText = null;
        for (var i = 0; i < marks.Length; i++)
        {
            if (!marks[i])
                continue;
            var rule = applicable.Rules[i];
            var input = rule.Multiline ? text[start..Math.Min(text.Length, start + (rule.Reach ?? options.MultilineReach))] : window;
            try
            {
                if (!(rule.Anchored ? MatchesAtKeyword(rule, i, input, start, applicable, target.Kind) : rule.Pattern.IsMatch(input)))
                    continue;
                var inputText = rule.Multiline ? new string(input) : windowText ??= new string(window);
                Apply(rule, inputText, text, start, end, lineStart, lineNumber, target, output);
            }
            catch (RegexMatchTimeoutException)
            {
                // Only custom rules carry a timeout; a pathological pattern skips this line rather than hang the scan.
            }
        }
    }

    /// <summary>
    /// Whether the anchored pattern matches at some keyword of rule <paramref name="index"/> found in the window.
    /// Keywords where the value cannot be accepted (see <see cref="Rule.AcceptsValueStart"/>) are passed over without
    /// the regular expression: on code and config full of <c>token = GetToken()</c> and <c>password=${X}</c> that is
    /// most of them. Passing over them here cannot change the findings: <see cref="Apply"/> still tries every keyword
    /// it would have tried.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool MatchesAtKeyword(Rule rule, int index, ReadOnlySpan<char> input, int inputStart, ApplicableRules applicable, FileKinds kind)
    {
        var tried = -1;
        foreach (var (absolute, keyword) in _hits)
        {
            var at = absolute - inputStart;
            if (at == tried || Array.IndexOf(applicable.OwnersOf(keyword), index) < 0)
                continue;
            tried = at;
            if (AssignmentFollows(input, at)
                && (rule.AcceptsValueStart is null || ValueStart(input, at) is var value && (value < 0 || rule.AcceptsValueStart(input[value..], kind)))
                && rule.Pattern.IsMatch(input, at))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Anchored rules are assignments (<c>key = value</c>, <c>key: value</c>): unless the key starting here is followed
    /// by <c>=</c> or <c>:</c>, no regular expression needs to run. Most keyword hits in code and prose end here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AssignmentFollows(ReadOnlySpan<char> input, int at)
    {
        var i = at;
        while (i < input.Length && (char.IsAsciiLetterOrDigit(input[i]) || input[i] is '_' or '.' or '-'))
            i++;
        if (i < input.Length && input[i] is '"' or '\'')
            i++;
        while (i < input.Length && input[i] is ' ' or '\t')
            i++;
        return i < input.Length && input[i] is '=' or ':';
    }

    /// <summary>Where the value of the assignment whose key starts at <paramref name="at"/> starts (past <c>=</c>, <c>:</c>, <c>:=</c>, <c>=></c> and blanks), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ValueStart(ReadOnlySpan<char> input, int at)
    {
        var i = at;
        while (i < input.Length && (char.IsAsciiLetterOrDigit(input[i]) || input[i] is '_' or '.' or '-'))
            i++;
        if (i < input.Length && input[i] is '"' or '\'')
            i++;
        while (i < input.Length && input[i] is ' ' or '\t')
            i++;
        if (i + 1 < input.Length && (input[i..].StartsWith(":=") || input[i..].StartsWith("=>")))
            i += 2;
        else
            i++;
        while (i < input.Length && input[i] is ' ' or '\t')
            i++;
        return i < input.Length ? i : -1;
    }

    /// <summary>The first match of <paramref name="rule"/> at or after <paramref name="from"/> (at a keyword for an anchored rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Match NextMatch(Rule rule, string input, int from)
    {
        if (!rule.Anchored)
            return rule.Pattern.Match(input, from);
        while (from < input.Length)
        {
            var at = input.AsSpan(from).IndexOfAny(rule.KeywordValues);
            if (at < 0)
                break;
            if (AssignmentFollows(input, from + at) && rule.Pattern.Match(input, from + at) is { Success: true } match)
                return match;
            from += at + 1;
        }
        return Match.Empty;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Apply(Rule rule, string inputText, ReadOnlySpan<char> text, int start, int end, int lineStart, int lineNumber, ScanTarget target, List<Finding> output)
    {
        for (var match = NextMatch(rule, inputText, 0); match.Success && match.Index < end - start; match = Following(rule, inputText, match))
        {
            if (rule.Accept is not null && !rule.Accept(match, inputText, target.Kind))
                continue;
            var finding = rule.Kind == FindingKind.Secret
                ? Secret(rule, match, text, start, lineStart, lineNumber, target)
                : Reference(rule, match, text, start, lineStart, lineNumber, target);
            if (finding is not null)
                output.Add(finding);
        }
    }

    /// <summary>The match after <paramref name="match"/>: past its end, or one character on after an empty match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Match Following(Rule rule, string input, Match match)
    {
        if (!rule.Anchored)
            return match.NextMatch();
        var from = Math.Max(match.Index + 1, match.Index + match.Length);
        return from < input.Length ? NextMatch(rule, input, from) : Match.Empty;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Finding? Secret(Rule rule, Match match, ReadOnlySpan<char> text, int inputStart, int lineStart, int lineNumber, ScanTarget target)
    {
        Group group = match.Groups["secret"] is { Success: true } g ? g : match;
        var value = group.Value;
        if (value.Length < rule.MinLength)
            return null;
        var placeholder = rule.Generic
            ? ValueFilters.IsPlaceholder(value) || ValueFilters.IsReference(value)
            : ValueFilters.IsTokenPlaceholder(value);
        if (placeholder || (rule.Entropy is { } minimum && Entropy.Of(value) < minimum))
            return null;
        var absolute = inputStart + group.Index;
        foreach (var (s, e) in _taken)
        {
            if (absolute < e && s < absolute + group.Length)
                return null;
        }
        if (options.Allow.AllowsValue(value))
            return null;
        _taken.Add((absolute, absolute + group.Length));
        var secret = SecretValue.FromUtf8(value);
        return new Finding
        {
            RuleId = rule.Id,
            Kind = FindingKind.Secret,
            Location = Locate(text, lineStart, lineNumber, absolute, target),
            Fingerprint = options.FingerprintKey.Of(secret),
            BaselineFingerprint = options.BaselineKey?.Of(secret),
            Masked = Mask.Of(value, rule.PublicPrefixes),
            Value = options.KeepValues ? secret : null,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Finding? Reference(Rule rule, Match match, ReadOnlySpan<char> text, int inputStart, int lineStart, int lineNumber, ScanTarget target)
    {
        var name = rule.Name is not null ? rule.Name(match) : Intern(match.Groups["name"].ValueSpan);
        if (string.IsNullOrEmpty(name))
            return null;
        return new Finding
        {
            RuleId = rule.Id,
            Kind = FindingKind.Reference,
            Location = Locate(text, lineStart, lineNumber, inputStart + match.Index, target),
            ReferenceName = name,
        };
    }

    /// <summary>
    /// One string per distinct referenced name: a large tree refers to the same few thousand names hundreds of thousands
    /// of times, and the findings are kept until the report is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Intern(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return "";
        var names = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (names.TryGetValue(name, out var known))
            return known;
        if (_names.Count >= MaxInterned)
            _names.Clear();
        var text = new string(name);
        _names.Add(text);
        return text;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FindingLocation Locate(ReadOnlySpan<char> text, int lineStart, int lineNumber, int absolute, ScanTarget target)
    {
        // A multi-line match may put the value on a later line than its keyword.
        var between = text[lineStart..absolute];
        var newlines = between.Count('\n');
        var column = newlines == 0 ? absolute - lineStart + 1 : absolute - (lineStart + between.LastIndexOf('\n') + 1) + 1;
        return new FindingLocation(target.Path, lineNumber + newlines, column, target.Commit);
    }
}
