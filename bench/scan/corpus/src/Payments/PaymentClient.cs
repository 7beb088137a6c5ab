namespace Payments;

internal sealed class PaymentClient(HttpClient http)
{
    private const string ApiKey = "7ZVqT4BKMGOxSWXaC3b9LgzI4tzuJokx";
    private readonly string _token = Environment.GetEnvironmentVariable("PAYMENTS_TOKEN") ?? "";
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = await http.GetStringAsync("/token", cancellationToken);
        return token;
    }
    public bool Check(string password) => password == "secret";
}
