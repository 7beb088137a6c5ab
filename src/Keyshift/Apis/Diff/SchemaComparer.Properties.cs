using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

internal sealed partial class SchemaComparer
{
    private void Properties(SchemaComparison into, ApiNode o, ApiNode n, Flow flow, SchemaSubject subject)
    {
        var oldShape = ObjectShape.Of(OldDoc, o);
        var newShape = ObjectShape.Of(NewDoc, n);
        if (oldShape.Properties.Count == 0 && newShape.Properties.Count == 0)
            return;
        var sends = flow == Flow.ConsumerSends;
        foreach (var (name, oldProperty) in oldShape.Properties)
        {
            var property = subject.Property(name);
            if (!newShape.Properties.TryGetValue(name, out var newProperty))
            {
                if (sends && !IsFlagged(OldDoc, oldProperty, "readOnly"))
                {
                    var consequence = newShape.Closed ? "requests that still send it will be rejected (additionalProperties: false)" : "values sent in it are ignored";
                    Emit(into, ApiChecks.RequestPropertyRemoved, $"{property} was removed from requests; {consequence}", oldProperty, n["properties"] ?? n);
                }
                else if (!sends && !IsFlagged(OldDoc, oldProperty, "writeOnly"))
                    Emit(into, ApiChecks.ResponsePropertyRemoved, $"{property} was removed from responses; clients reading it will get nothing", oldProperty, n["properties"] ?? n);
                continue;
            }
            var (wasRequired, isRequired) = (oldShape.Required.Contains(name), newShape.Required.Contains(name));
            if (sends && !wasRequired && isRequired && !IsFlagged(NewDoc, newProperty, "readOnly"))
                Emit(into, ApiChecks.RequestPropertyMadeRequired, $"{property} is now required in requests; requests without it will be rejected", oldProperty, newProperty);
            else if (!sends && wasRequired && !isRequired && !IsFlagged(NewDoc, newProperty, "writeOnly"))
                Emit(into, ApiChecks.ResponsePropertyMadeOptional, $"{property} is no longer always returned; clients must handle it being absent", oldProperty, newProperty);
            Into(into, oldProperty, newProperty, flow, property);
        }
        foreach (var (name, newProperty) in newShape.Properties)
        {
            if (oldShape.Properties.ContainsKey(name))
                continue;
            var property = subject.Property(name);
            if (sends && !IsFlagged(NewDoc, newProperty, "readOnly"))
            {
                if (newShape.Required.Contains(name))
                    Emit(into, ApiChecks.RequiredRequestPropertyAdded, $"requests must now include {property}; requests without it will be rejected", o["properties"] ?? o, newProperty);
                else
                    Emit(into, ApiChecks.OptionalRequestPropertyAdded, $"requests may now include {property}", o["properties"] ?? o, newProperty);
            }
            else if (!sends && !IsFlagged(NewDoc, newProperty, "writeOnly"))
                Emit(into, ApiChecks.ResponsePropertyAdded, $"responses now include {property}", o["properties"] ?? o, newProperty);
        }
    }

    private static bool IsFlagged(ApiDocument document, ApiNode property, string flag) => document.Deref(property)?.Bool(flag) == true;
}
