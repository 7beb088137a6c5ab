using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Keyshift.State;

/// <summary>
/// One prepared SQLite statement on the state database's own connection (so it runs inside EF's
/// transaction), bound by position. ADO.NET looks every parameter up by name on every execution, which
/// was a third of the time of saving 100,000 move rows.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly string _sql;

    private Statement(sqlite3 db, sqlite3_stmt statement, string sql)
    {
        _db = db;
        _statement = statement;
        _sql = sql;
    }

    public static Statement Prepare(StateDb state, string sql)
    {
        state.Database.OpenConnection();
        var db = ((SqliteConnection)state.Database.GetDbConnection()).Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
            throw Error(db, rc, sql);
        return new Statement(db, statement, sql);
    }

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs a statement that returns no rows, then makes it ready to be bound again.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
            throw Error(_db, rc, _sql);
    }

    /// <summary>Moves to the next row; false when there is none.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        return rc switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw Error(_db, rc, _sql),
        };
    }

    public string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public long? Int64(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, column);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw Error(_db, rc, _sql);
    }

    // The same exception type ADO.NET throws, so callers that handle a busy or full database keep working.
    private static SqliteException Error(sqlite3 db, int rc, string sql) =>
        new($"SQLite error {rc} ({raw.sqlite3_errmsg(db).utf8_to_string()}) running: {sql[..Math.Min(sql.Length, 80)]}", rc);

    public void Dispose() => _statement.Dispose();
}
