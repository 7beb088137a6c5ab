namespace Keyshift.Apis.Diff;

/// <summary>
/// Names the value a schema change is about: <c>`Charge.amount`</c> inside a named schema (the same text wherever
/// the schema is used, so one change is reported once with every operation it affects), or
/// <c>`amount` in the request body</c> for inline schemas.
/// </summary>
internal sealed record SchemaSubject(string Root, string Path, bool Named)
{
    public static SchemaSubject Of(string where) => new(where, "", false);

    public static SchemaSubject Schema(string name) => new(name, "", true);

    public SchemaSubject Property(string name) => this with { Path = Path.Length == 0 ? name : $"{Path}.{name}" };

    public SchemaSubject Items() => this with { Path = Path + "[]" };

    public override string ToString() => Named
        ? $"`{Root}{(Path.Length == 0 ? "" : Path.StartsWith('[') ? Path : "." + Path)}`"
        : Path.Length == 0 ? Root : $"`{Path}` in {Root}";
}
