using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;

namespace Keyshift.Gateway;

/// <summary>
/// One consumer's OAuth2 client-credentials token for the new endpoint: fetched on first use, cached,
/// refreshed before it expires, with at most one token request in flight (concurrent callers share it).
/// </summary>
internal sealed class TokenClient(HttpMessageInvoker http, EndpointAuth auth, string clientId, SecretValue clientSecret, TimeProvider time)
{
    private readonly Lock _lock = new();
    private AccessToken? _token;
    private Task<AccessToken>? _inFlight;

    /// <summary>Token requests sent so far (for tests and metrics).</summary>
    public int Requests => _requests;

    private int _requests;

    public async Task<AccessToken> GetAsync(CancellationToken cancellationToken)
    {
        Task<AccessToken> task;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_token is { } cached && now < cached.RefreshAt)
                return cached;
            // A token past its refresh point but still valid is served while the next one is fetched.
            if (_inFlight is null || _inFlight.IsCompleted)
                _inFlight = FetchAsync();
            task = _inFlight;
            if (_token is { } stillValid && now < stillValid.ExpiresAt)
                return stillValid;
        }
        return await task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the cached token (the new endpoint refused it), so the next call fetches another.</summary>
    public void Invalidate()
    {
        lock (_lock)
            _token = null;
    }

    private async Task<AccessToken> FetchAsync()
    {
        Interlocked.Increment(ref _requests);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (auth.Scopes.Count > 0)
            form.Add(new("scope", string.Join(' ', auth.Scopes)));
        if (auth.Resource is { } resource)
            form.Add(new("resource", resource));
        using var request = new HttpRequestMessage(HttpMethod.Post, auth.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", LegacyCredential.BasicClientAuth(clientId, clientSecret));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            throw new TokenException($"token endpoint {auth.TokenUrl} did not answer ({e.GetType().Name})", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new TokenException($"token endpoint {auth.TokenUrl} answered {(int)response.StatusCode}");
            var now = time.GetUtcNow();
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), default, timeout.Token);
            if (!json.RootElement.TryGetProperty("access_token", out var value) || value.ValueKind != JsonValueKind.String)
                throw new TokenException($"token endpoint {auth.TokenUrl} answered without an access_token");
            var lifetime = json.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetDouble(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromMinutes(5);
            // Refresh when 80% of the lifetime has passed, and at least 30 seconds before expiry.
            var margin = TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 5, Math.Min(TimeSpan.FromSeconds(30).Ticks, lifetime.Ticks / 2)));
            var token = new AccessToken(SecretValue.FromUtf8(value.GetString()!), now + lifetime, now + lifetime - margin);
            lock (_lock)
                _token = token;
            return token;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"token client {clientId}");
}
