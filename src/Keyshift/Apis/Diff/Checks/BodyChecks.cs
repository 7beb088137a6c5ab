using Keyshift.Apis.Contracts;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>Request bodies and responses: required bodies, media types, status codes, headers and the schemas inside.</summary>
internal sealed class BodyChecks(DiffContext context, SchemaComparer schemas)
{
    public void Compare(OperationScope scope)
    {
        RequestBody(scope);
        Responses(scope);
    }

    private void RequestBody(OperationScope scope)
    {
        var (old, @new) = (scope.Old.RequestBody, scope.New.RequestBody);
        if (!scope.IsCallOut && @new is { Required: true } && old is not { Required: true })
            context.Report(ApiChecks.RequestBodyMadeRequired, $"`{scope.Label}` now requires a request body; requests without one will be rejected", old?.Node ?? scope.Old.Node, @new.Node, scope.Keys);
        if (old is null || @new is null)
            return;
        var where = scope.IsCallOut ? $"the body of {scope.Label}" : $"the request body of `{scope.Label}`";
        foreach (var (mediaType, oldMedia) in old.Content)
        {
            if (@new.Content.TryGetValue(mediaType, out var newMedia))
            {
                var subject = SchemaSubject.Of(old.Content.Count > 1 ? $"{where} ({mediaType})" : where);
                context.Attribute(schemas.Compare(oldMedia.Schema, newMedia.Schema, scope.RequestFlow, subject), scope.Keys);
            }
            else if (!scope.IsCallOut)
            {
                var accepted = @new.Content.Count == 0 ? "" : $"; send {string.Join(" or ", @new.Content.Keys)} instead";
                context.Report(ApiChecks.RequestMediaTypeRemoved, $"`{scope.Label}` no longer accepts request bodies of type {mediaType}{accepted}", oldMedia.Node, @new.Node, scope.Keys);
            }
        }
        foreach (var mediaType in @new.Content.Keys.Where(m => !old.Content.ContainsKey(m)))
            context.Report(ApiChecks.MediaTypeAdded, $"`{scope.Label}` now also accepts request bodies of type {mediaType}", old.Node, @new.Content[mediaType].Node, scope.Keys);
    }

    private void Responses(OperationScope scope)
    {
        var (old, @new) = (scope.Old.Responses, scope.New.Responses);
        foreach (var (code, oldResponse) in old)
        {
            if (!@new.TryGetValue(code, out var newResponse))
            {
                if (scope.IsCallOut)
                    continue;
                var remaining = string.Join(", ", @new.Keys);
                if (oldResponse.IsSuccess)
                    context.Report(ApiChecks.SuccessResponseRemoved, $"`{scope.Label}` no longer returns {code}; clients expecting it must handle {(remaining.Length == 0 ? "undocumented responses" : remaining)} instead", oldResponse.Node, scope.New.Node["responses"] ?? scope.New.Node, scope.Keys);
                else
                    context.Report(ApiChecks.ErrorResponseRemoved, $"`{scope.Label}` no longer documents the {code} response; clients handling it may see another error code", oldResponse.Node, scope.New.Node["responses"] ?? scope.New.Node, scope.Keys);
                continue;
            }
            Response(scope, code, oldResponse, newResponse);
        }
        if (scope.IsCallOut)
            return;
        foreach (var (code, newResponse) in @new)
        {
            if (!old.ContainsKey(code))
                context.Report(ApiChecks.ResponseCodeAdded, $"`{scope.Label}` may now return {code}", scope.Old.Node["responses"] ?? scope.Old.Node, newResponse.Node, scope.Keys);
        }
    }

    private void Response(OperationScope scope, string code, ApiResponse old, ApiResponse @new)
    {
        var where = scope.IsCallOut ? $"the {code} response consumers return to {scope.Label}" : $"the {code} response of `{scope.Label}`";
        foreach (var (mediaType, oldMedia) in old.Content)
        {
            if (@new.Content.TryGetValue(mediaType, out var newMedia))
            {
                var subject = SchemaSubject.Of(old.Content.Count > 1 ? $"{where} ({mediaType})" : where);
                context.Attribute(schemas.Compare(oldMedia.Schema, newMedia.Schema, scope.ResponseFlow, subject), scope.Keys);
            }
            else if (!scope.IsCallOut)
            {
                var instead = @new.Content.Count == 0 ? "" : $"; clients must accept {string.Join(" or ", @new.Content.Keys)}";
                context.Report(ApiChecks.ResponseMediaTypeRemoved, $"{where} is no longer sent as {mediaType}{instead}", oldMedia.Node, @new.Node, scope.Keys);
            }
        }
        foreach (var mediaType in @new.Content.Keys.Where(m => !old.Content.ContainsKey(m)))
        {
            if (!scope.IsCallOut)
                context.Report(ApiChecks.MediaTypeAdded, $"{where} may now be sent as {mediaType}", old.Node, @new.Content[mediaType].Node, scope.Keys);
        }
        foreach (var (name, oldHeader) in old.Headers)
        {
            if (RateLimitChecks.IsRateLimitHeader(name))
                continue;
            if (@new.Headers.TryGetValue(name, out var newHeader))
                context.Attribute(schemas.Compare(oldHeader.Schema, newHeader.Schema, scope.ResponseFlow, SchemaSubject.Of($"header `{oldHeader.Name}` of {where}"), nameReferences: false), scope.Keys);
            else if (!scope.IsCallOut)
                context.Report(ApiChecks.ResponseHeaderRemoved, $"{where} no longer documents header `{oldHeader.Name}`; clients reading it may get nothing", oldHeader.Node, @new.Node, scope.Keys);
        }
    }
}
