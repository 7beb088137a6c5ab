using System.Text;
using BenchmarkDotNet.Attributes;
using Keyshift.Scanning;

namespace Keyshift.Benchmarks.Scanning;

/// <summary>The scanner's hot path on in-memory text: config with references, code with keyword noise, one secret.</summary>
[MemoryDiagnoser]
public class ContentScannerBenchmarks
{
    private readonly List<Finding> _found = [];
    private string _config = "";
    private string _code = "";
    private ContentScanner _scanner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = new StringBuilder();
        var code = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            config.Append("service").Append(i).Append(".url=https://svc").Append(i).Append(".internal/api\n");
            config.Append("service").Append(i).Append(".password=${SERVICE_").Append(i).Append("_PASSWORD}\n");
            code.Append("    var result").Append(i).Append(" = await _client.GetAsync(\"/orders/\" + id, cancellationToken);\n");
            code.Append("    _logger.LogInformation(\"loaded {Count} orders\", result").Append(i).Append(".Count);\n");
        }
        config.Append("stripe.key=sk_live_OrXXHFOprCeTsprvu5Ifijoy\n");
        _config = config.ToString();
        _code = code.ToString();
        _scanner = new ContentScanner(new ScanOptions());
    }

    [Benchmark]
    public int Properties()
    {
        _found.Clear();
        _scanner.Scan(_config, ScanTarget.For("application.properties"), _found);
        return _found.Count;
    }

    [Benchmark]
    public int CSharp()
    {
        _found.Clear();
        _scanner.Scan(_code, ScanTarget.For("OrderService.cs"), _found);
        return _found.Count;
    }
}
