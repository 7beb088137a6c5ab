using Keyshift.Scanning;

namespace Keyshift.Tests.Scanning;

/// <summary>
/// The labelled corpus of bench/scan (the set precision and recall are measured on, beside secretlint): every labelled
/// line is found and nothing else is, so a faster scanner cannot quietly lose precision or recall.
/// </summary>
public sealed class CorpusTests
{
    [Fact]
    public void LabelledCorpus_EveryLabelledSecretFound_AndNoOtherSecret()
    {
        var bench = Path.Combine(RepositoryRoot(), "bench", "scan");
        var labels = File.ReadAllLines(Path.Combine(bench, "corpus-labels.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => $"{p[0]}:{p[1]}")
            .ToHashSet(StringComparer.Ordinal);
        var corpus = Path.Combine(bench, "corpus");

        var found = new Scanner(new ScanOptions { RespectGitignore = false }).ScanFiles([corpus]).ToList();

        var secrets = found.Where(f => f.Kind == FindingKind.Secret)
            .Select(f => $"{Path.GetRelativePath(corpus, f.Location.Path).Replace('\\', '/')}:{f.Location.Line}")
            .ToHashSet(StringComparer.Ordinal);
        labels.Count.ShouldBe(38);
        labels.Except(secrets).ShouldBeEmpty("missed (recall)");
        secrets.Except(labels).ShouldBeEmpty("false positives (precision)");
        found.Count(f => f.Kind == FindingKind.Reference).ShouldBe(21);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keyshift.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Keyshift.slnx not found above " + AppContext.BaseDirectory);
    }
}
