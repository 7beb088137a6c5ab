namespace Keyshift.Scanning;

/// <summary>The families of files that rules distinguish, decided by file name.</summary>
[Flags]
internal enum FileKinds
{
    None = 0,

    /// <summary>Config and text: dotenv, YAML, JSON, properties, XML, Terraform, Markdown…</summary>
    Config = 1,

    /// <summary>Source code where only quoted literals are values (C#, Python, Go, Java…).</summary>
    Source = 2,

    /// <summary>Source code with <c>${…}</c> string templates (JavaScript, TypeScript, Kotlin, Groovy…).</summary>
    Script = 4,

    /// <summary>Shell scripts and Dockerfiles, where <c>$VAR</c> is a reference.</summary>
    Shell = 8,

    /// <summary>Windows batch files, where <c>%VAR%</c> is a reference.</summary>
    Batch = 16,

    All = Config | Source | Script | Shell | Batch,
    Code = Source | Script,
}
