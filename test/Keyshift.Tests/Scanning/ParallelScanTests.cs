using Keyshift.Scanning;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>Scanning files with several workers gives what one worker gives, in the same order.</summary>
public sealed class ParallelScanTests
{
    [Fact]
    public void SeveralWorkers_FindTheSameAsOne_InFileOrder_WithTheSameNotes()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 120; i++)
        {
            var body = (i % 7) switch
            {
                0 => $"STRIPE_KEY=sk_live_{i:D4}OrXXHFOprCeTsprvu5If\n",
                1 => $"password: ${{DB_PASSWORD_{i}}}\nurl: https://svc{i}.internal\n",
                2 => "binary\0content\n",
                _ => $"line {i}\nconst key = process.env.KEY_{i};\n",
            };
            dir.Write($"d{i % 5}/f{i:D3}.{(i % 7 >= 3 ? "ts" : "env")}", body);
        }
        var key = Keyshift.Secrets.FingerprintKey.CreateRandom();

        var (oneFound, oneNotes) = Scan(dir.Path, key, 1);
        var (manyFound, manyNotes) = Scan(dir.Path, key, 4);

        oneFound.Count.ShouldBeGreaterThan(100);
        manyFound.ShouldBe(oneFound);
        manyNotes.ShouldBe(oneNotes);
        oneNotes.Count.ShouldBe(17);
    }

    private static (List<Finding> Found, List<InputNote> Notes) Scan(string path, Keyshift.Secrets.FingerprintKey key, int workers)
    {
        var scanner = new Scanner(new ScanOptions { FingerprintKey = key, Parallelism = workers, RespectGitignore = false });
        var found = scanner.ScanFiles([path]).ToList();
        return (found, [.. scanner.Notes]);
    }
}
