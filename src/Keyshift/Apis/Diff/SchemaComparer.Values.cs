using System.Globalization;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

internal sealed partial class SchemaComparer
{
    // Format changes that accept every value the old format accepted.
    private static readonly HashSet<(string, string)> WiderFormats = [("int32", "int64"), ("float", "double"), ("date", "date-time")];

    /// <summary>Values the consumer sends: anything the API accepts less of is breaking; accepting more is info.</summary>
    private void Narrowing(SchemaComparison into, ApiNode o, ApiNode n, SchemaSubject subject)
    {
        var (oldTypes, newTypes) = (SchemaFacts.Types(o), SchemaFacts.Types(n));
        var lost = oldTypes.Count == 0 && newTypes.Count > 0 ? ["values of any type"] : oldTypes.Where(t => !SchemaFacts.Accepts(newTypes, t)).ToList();
        if (lost.Count > 0)
            Emit(into, ApiChecks.TypeNarrowed, $"{subject} now accepts only {SchemaFacts.Describe(newTypes)} (was {SchemaFacts.Describe(oldTypes)}); requests sending {string.Join(" or ", lost)} will be rejected", o, n);
        else if (newTypes.Count < oldTypes.Count || (newTypes.Count > 0 && newTypes.Any(t => !SchemaFacts.Accepts(oldTypes, t))))
            Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} now also accepts {SchemaFacts.Describe(newTypes)} (was {SchemaFacts.Describe(oldTypes)})", o, n);

        var (oldFormat, newFormat) = (o.String("format"), n.String("format"));
        if (newFormat is not null && oldFormat != newFormat && (oldFormat is null || !WiderFormats.Contains((oldFormat, newFormat))))
            Emit(into, ApiChecks.FormatNarrowed, $"{subject} must now be formatted as {newFormat} (was {oldFormat ?? "any format"}); requests with other values will be rejected", o, n);

        var (oldEnum, newEnum) = (SchemaFacts.Enum(o), SchemaFacts.Enum(n));
        if (newEnum is not null && oldEnum is null)
            Emit(into, ApiChecks.EnumValueRemoved, $"{subject} now accepts only {List(newEnum)}; requests with other values will be rejected", o["enum"] ?? o, n["enum"] ?? n["const"]);
        else if (newEnum is not null && oldEnum is not null)
        {
            var removed = oldEnum.Except(newEnum, StringComparer.Ordinal).ToList();
            if (removed.Count > 0)
                Emit(into, ApiChecks.EnumValueRemoved, $"{subject} no longer accepts {List(removed)}; requests sending {(removed.Count > 1 ? "them" : "it")} will be rejected", o["enum"] ?? o["const"], n["enum"] ?? n["const"]);
            var added = newEnum.Except(oldEnum, StringComparer.Ordinal).ToList();
            if (added.Count > 0)
                Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} now also accepts {List(added)}", o["enum"] ?? o["const"], n["enum"] ?? n["const"]);
        }
        else if (oldEnum is not null && newEnum is null)
            Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} accepts any value now (was {List(oldEnum)})", o["enum"] ?? o["const"], n);

        Upper(into, ApiChecks.MaximumLowered, SchemaFacts.Maximum(o), SchemaFacts.Maximum(n), subject, "maximum", "larger values", o, n);
        Lower(into, ApiChecks.MinimumRaised, SchemaFacts.Minimum(o), SchemaFacts.Minimum(n), subject, "minimum", "smaller values", o, n);
        Upper(into, ApiChecks.MaxLengthLowered, Plain(o, "maxLength"), Plain(n, "maxLength"), subject, "maxLength", "longer strings", o, n);
        Lower(into, ApiChecks.MinLengthRaised, Plain(o, "minLength"), Plain(n, "minLength"), subject, "minLength", "shorter strings", o, n);
        Upper(into, ApiChecks.MaxItemsLowered, Plain(o, "maxItems"), Plain(n, "maxItems"), subject, "maxItems", "longer arrays", o, n);

        var (oldPattern, newPattern) = (o.String("pattern"), n.String("pattern"));
        if (newPattern is not null && newPattern != oldPattern)
        {
            var message = oldPattern is null
                ? $"{subject} must now match the pattern {newPattern}; requests with other values will be rejected"
                : $"{subject} must now match {newPattern} instead of {oldPattern}; values matching only the old pattern will be rejected";
            Emit(into, ApiChecks.PatternAdded, message, o["pattern"] ?? o, n["pattern"]);
        }
    }

    /// <summary>Values the consumer receives: a type it does not expect or enum values it does not know.</summary>
    private void Widening(SchemaComparison into, ApiNode o, ApiNode n, SchemaSubject subject)
    {
        var (oldTypes, newTypes) = (SchemaFacts.Types(o), SchemaFacts.Types(n));
        if (oldTypes.Count > 0)
        {
            var gained = newTypes.Count == 0 ? ["any type"] : newTypes.Where(t => !SchemaFacts.Accepts(oldTypes, t)).ToList();
            if (gained.Count > 0)
                Emit(into, ApiChecks.ResponseTypeChanged, $"{subject} may now be {string.Join(" or ", gained)} (was {SchemaFacts.Describe(oldTypes)}); clients parsing it as {SchemaFacts.Describe(oldTypes)} may fail", o, n);
        }
        var (oldEnum, newEnum) = (SchemaFacts.Enum(o), SchemaFacts.Enum(n));
        if (oldEnum is not null)
        {
            var added = newEnum?.Except(oldEnum, StringComparer.Ordinal).ToList() ?? [];
            if (added.Count > 0)
                Emit(into, ApiChecks.ResponseEnumValueAdded, $"{subject} may now be {List(added)}; clients that reject unknown values must accept {(added.Count > 1 ? "them" : "it")}", o["enum"] ?? o["const"], n["enum"] ?? n["const"]);
        }
    }

    private void Upper(SchemaComparison into, ApiCheck check, (double Value, bool Exclusive)? old, (double Value, bool Exclusive)? @new, SchemaSubject subject, string keyword, string rejected, ApiNode o, ApiNode n)
    {
        if (@new is not { } nv)
        {
            if (old is not null)
                Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} has no {keyword} any more (was {Bound(old)})", o, n);
            return;
        }
        if (old is not { } ov || nv.Value < ov.Value || (nv.Value == ov.Value && nv.Exclusive && !ov.Exclusive))
            Emit(into, check, $"{subject} {keyword} {(old is null ? "set to" : $"lowered from {Bound(old)} to")} {Bound(@new)}; {rejected} will be rejected", o[keyword] ?? o, n[keyword] ?? n);
        else if (nv.Value > ov.Value)
            Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} {keyword} raised from {Bound(old)} to {Bound(@new)}", o[keyword], n[keyword]);
    }

    private void Lower(SchemaComparison into, ApiCheck check, (double Value, bool Exclusive)? old, (double Value, bool Exclusive)? @new, SchemaSubject subject, string keyword, string rejected, ApiNode o, ApiNode n)
    {
        if (@new is not { } nv)
        {
            if (old is not null)
                Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} has no {keyword} any more (was {Bound(old)})", o, n);
            return;
        }
        if (old is not { } ov || nv.Value > ov.Value || (nv.Value == ov.Value && nv.Exclusive && !ov.Exclusive))
            Emit(into, check, $"{subject} {keyword} {(old is null ? "set to" : $"raised from {Bound(old)} to")} {Bound(@new)}; {rejected} will be rejected", o[keyword] ?? o, n[keyword] ?? n);
        else if (nv.Value < ov.Value)
            Emit(into, ApiChecks.ConstraintRelaxed, $"{subject} {keyword} lowered from {Bound(old)} to {Bound(@new)}", o[keyword], n[keyword]);
    }

    private static (double, bool)? Plain(ApiNode schema, string keyword) => schema.Number(keyword) is { } v ? (v, false) : null;

    private static string Bound((double Value, bool Exclusive)? bound) =>
        bound is null ? "none" : (bound.Value.Exclusive ? "below " : "") + bound.Value.Value.ToString(CultureInfo.InvariantCulture);

    private static string List(List<string> values) =>
        string.Join(", ", values.Take(10).Select(v => $"'{v}'")) + (values.Count > 10 ? $" and {values.Count - 10} more" : "");
}
