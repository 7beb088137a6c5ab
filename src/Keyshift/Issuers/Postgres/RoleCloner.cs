using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// Gives a new role what an existing role has: attributes (not superuser), connection limit, memberships,
/// per-role settings, and every privilege granted to it — or held as owner — on databases, schemas, tables,
/// columns, sequences, routines, types, languages and tablespaces of the connected database, plus default
/// privileges. Runs inside the caller's transaction, so a failure leaves nothing behind.
/// </summary>
internal static partial class RoleCloner
{
    private static readonly HashSet<string> Privileges = new(StringComparer.Ordinal)
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "EXECUTE", "USAGE", "CREATE", "CONNECT", "TEMPORARY", "MAINTAIN",
    };

    private const string GrantsSql = """
        WITH r AS (SELECT oid FROM pg_roles WHERE rolname = @role)
        SELECT 'DATABASE', quote_ident(d.datname), NULL::text, a.privilege_type, a.is_grantable
          FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a, r WHERE a.grantee = r.oid
        UNION ALL
        SELECT 'SCHEMA', quote_ident(n.nspname), NULL, a.privilege_type, a.is_grantable
          FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a, r WHERE a.grantee = r.oid
        UNION ALL
        SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, quote_ident(n.nspname) || '.' || quote_ident(c.relname), NULL, a.privilege_type, a.is_grantable
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
               aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's'::"char" ELSE 'r'::"char" END, c.relowner))) a, r
         WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S') AND a.grantee = r.oid
        UNION ALL
        SELECT 'COLUMN', quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(t.attname), a.privilege_type, a.is_grantable
          FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
               aclexplode(t.attacl) a, r
         WHERE t.attacl IS NOT NULL AND NOT t.attisdropped AND t.attnum > 0 AND a.grantee = r.oid
        UNION ALL
        SELECT 'ROUTINE', p.oid::regprocedure::text, NULL, a.privilege_type, a.is_grantable
          FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a, r WHERE a.grantee = r.oid
        UNION ALL
        SELECT 'TYPE', format_type(t.oid, NULL), NULL, a.privilege_type, a.is_grantable
          FROM pg_type t, aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a, r
         WHERE a.grantee = r.oid AND t.typelem = 0 AND t.typrelid = 0
        UNION ALL
        SELECT 'LANGUAGE', quote_ident(l.lanname), NULL, a.privilege_type, a.is_grantable
          FROM pg_language l, aclexplode(coalesce(l.lanacl, acldefault('l', l.lanowner))) a, r WHERE a.grantee = r.oid
        UNION ALL
        SELECT 'TABLESPACE', quote_ident(s.spcname), NULL, a.privilege_type, a.is_grantable
          FROM pg_tablespace s, aclexplode(coalesce(s.spcacl, acldefault('t', s.spcowner))) a, r WHERE a.grantee = r.oid
        """;

    private const string DefaultPrivilegesSql = """
        SELECT quote_ident(pg_get_userbyid(d.defaclrole)), quote_ident(n.nspname), d.defaclobjtype::text, a.privilege_type, a.is_grantable
          FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
         WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = @role)
        """;

    /// <summary>The role's attributes, or null when it does not exist.</summary>
    public static async Task<RoleAttributes?> ReadAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = @role",
            connection);
        command.Parameters.AddWithValue("role", role);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new RoleAttributes(reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4),
            reader.GetBoolean(5), reader.GetBoolean(6), reader.GetInt32(7), reader.GetString(8));
    }

    /// <summary>Creates <paramref name="target"/> as a copy of <paramref name="source"/> with the given verifier.</summary>
    public static async Task CreateAsync(NpgsqlConnection connection, string source, RoleAttributes attributes, string target, string verifier, string comment, CancellationToken cancellationToken)
    {
        var create = new StringBuilder($"CREATE ROLE {PgQuote.Identifier(target)} LOGIN");
        create.Append(attributes.Inherit ? " INHERIT" : " NOINHERIT");
        create.Append(attributes.CreateRole ? " CREATEROLE" : " NOCREATEROLE");
        create.Append(attributes.CreateDb ? " CREATEDB" : " NOCREATEDB");
        if (attributes.Replication)
            create.Append(" REPLICATION");
        if (attributes.BypassRls)
            create.Append(" BYPASSRLS");
        create.Append(System.Globalization.CultureInfo.InvariantCulture, $" CONNECTION LIMIT {attributes.ConnectionLimit}");
        create.Append(" PASSWORD ").Append(PgQuote.Literal(verifier));
        await ExecuteAsync(connection, create.ToString(), cancellationToken);
        await ExecuteAsync(connection, $"COMMENT ON ROLE {PgQuote.Identifier(target)} IS {PgQuote.Literal(comment)}", cancellationToken);
        await GrantAsync(connection, source, target, cancellationToken);
    }

    /// <summary>Grants <paramref name="target"/> the memberships, settings and privileges <paramref name="source"/> has (idempotent).</summary>
    public static async Task GrantAsync(NpgsqlConnection connection, string source, string target, CancellationToken cancellationToken)
    {
        var to = PgQuote.Identifier(target);
        var statements = new List<string>();
        foreach (var (role, admin) in await QueryAsync(connection,
            "SELECT r.rolname, m.admin_option FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = @role",
            source, r => (r.GetString(0), r.GetBoolean(1)), cancellationToken))
            statements.Add($"GRANT {PgQuote.Identifier(role)} TO {to}{(admin ? " WITH ADMIN OPTION" : "")}");
        foreach (var (kind, target2, column, privilege, grantable) in await QueryAsync(connection, GrantsSql, source,
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetBoolean(4)), cancellationToken))
        {
            var privilegeText = CheckPrivilege(privilege);
            var option = grantable ? " WITH GRANT OPTION" : "";
            statements.Add(kind == "COLUMN"
                ? $"GRANT {privilegeText} ({column}) ON TABLE {target2} TO {to}{option}"
                : $"GRANT {privilegeText} ON {kind} {target2} TO {to}{option}");
        }
        foreach (var (owner, schema, objectType, privilege, grantable) in await QueryAsync(connection, DefaultPrivilegesSql, source,
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4)), cancellationToken))
        {
            var objects = objectType switch { "r" => "TABLES", "S" => "SEQUENCES", "f" => "FUNCTIONS", "T" => "TYPES", "n" => "SCHEMAS", _ => null };
            if (objects is null)
                continue;
            var inSchema = schema is null ? "" : $" IN SCHEMA {schema}";
            statements.Add($"ALTER DEFAULT PRIVILEGES FOR ROLE {owner}{inSchema} GRANT {CheckPrivilege(privilege)} ON {objects} TO {to}{(grantable ? " WITH GRANT OPTION" : "")}");
        }
        foreach (var statement in statements)
            await ExecuteAsync(connection, statement, cancellationToken);
        await CopySettingsAsync(connection, source, to, cancellationToken);
    }

    private static async Task CopySettingsAsync(NpgsqlConnection connection, string source, string to, CancellationToken cancellationToken)
    {
        var settings = await QueryAsync(connection,
            "SELECT quote_ident(d.datname), s.setconfig FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = @role)",
            source, r => (r.IsDBNull(0) ? null : r.GetString(0), r.GetFieldValue<string[]>(1)), cancellationToken);
        foreach (var (database, config) in settings)
        {
            var inDatabase = database is null ? "" : $" IN DATABASE {database}";
            foreach (var entry in config)
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                var name = entry[..eq];
                if (!SettingName().IsMatch(name))
                    throw new InvalidOperationException($"setting name '{name}' of role cannot be copied safely");
                // set_config parses the stored text exactly as SET would (list settings such as search_path keep their
                // items); FROM CURRENT then stores that value on the new role, with no quoting of ours involved.
                await using (var set = new NpgsqlCommand("SELECT set_config(@name, @value, true)", connection))
                {
                    set.Parameters.AddWithValue("name", name);
                    set.Parameters.AddWithValue("value", entry[(eq + 1)..]);
                    await set.ExecuteNonQueryAsync(cancellationToken);
                }
                await ExecuteAsync(connection, $"ALTER ROLE {to}{inDatabase} SET {name} FROM CURRENT", cancellationToken);
            }
        }
    }

    private static string CheckPrivilege(string privilege) =>
        Privileges.Contains(privilege) ? privilege : throw new InvalidOperationException($"unexpected privilege '{privilege}'");

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql, string role, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("role", role);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(read(reader));
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$")]
    private static partial Regex SettingName();
}
