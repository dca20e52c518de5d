namespace Basalt.Storage;

/// <summary>Expression-level SQL that differs between databases, used by the filter compiler and record queries.</summary>
public partial interface ISqlDialect
{
    /// <summary>The ORDER BY expression for <c>@random</c>.</summary>
    string RandomOrder { get; }

    /// <summary>Appends <c>LIMIT n OFFSET m</c> (or the database's form of it).</summary>
    void AppendPaging(SqlBuilder sql, int limit, int offset);

    /// <summary>Null-safe equality (<c>NULL op NULL</c> is true): <c>IS</c> / <c>IS NOT DISTINCT FROM</c>.</summary>
    string NullSafeEqual { get; }

    /// <summary>Null-safe inequality (<c>NULL op 'x'</c> is true): <c>IS NOT</c> / <c>IS DISTINCT FROM</c>.</summary>
    string NullSafeNotEqual { get; }

    /// <summary>ASCII-case-insensitive LIKE over text operands (used with <c>ESCAPE '\'</c>).</summary>
    string LikeOperator { get; }

    /// <summary>The negation of <see cref="LikeOperator"/>.</summary>
    string NotLikeOperator { get; }

    /// <summary>Appends a FROM item named <paramref name="alias"/> with one text column <c>value</c> per item of a JSON array.</summary>
    void AppendJsonArrayItems(SqlBuilder sql, Action<SqlBuilder> array, string alias);

    /// <summary>Appends a parameter holding JSON text, typed so it can stand where a JSON column can.</summary>
    void AppendJsonParameter(SqlBuilder sql, string json);

    /// <summary>Appends the number of items of a JSON array.</summary>
    void AppendJsonArrayLength(SqlBuilder sql, Action<SqlBuilder> array);

    /// <summary>
    /// Appends the compact JSON text of a JSON array of strings (<c>["a","b"]</c>, as PocketBase stores it), rebuilt
    /// from the items so that every database writes the same text: non-ASCII as is, only <c>" \</c> and control
    /// characters escaped.
    /// </summary>
    void AppendJsonArrayText(SqlBuilder sql, Action<SqlBuilder> array);

    /// <summary>Appends a boolean: the JSON array of strings <paramref name="array"/> holds the text <paramref name="value"/>.</summary>
    void AppendJsonArrayContains(SqlBuilder sql, Action<SqlBuilder> array, Action<SqlBuilder> value);

    /// <summary>
    /// Appends the value at <paramref name="path"/> (object keys or array indexes, each <c>[A-Za-z0-9_]+</c>,
    /// empty for the whole document) of a JSON column, converted as <paramref name="kind"/> says.
    /// </summary>
    void AppendJsonExtract(SqlBuilder sql, Action<SqlBuilder> json, IReadOnlyList<string> path, JsonExtractKind kind);

    /// <summary>Appends a bool column's value as the integer 1 or 0 (NULL stays NULL).</summary>
    void AppendBoolAsInteger(SqlBuilder sql, Action<SqlBuilder> value);

    /// <summary>
    /// Appends SQLite's <c>strftime(format, time, modifiers...)</c>: NULL for an empty or unreadable time.
    /// Formats use <c>%d %f %H %j %m %M %s %S %w %Y %%</c>; modifiers are <c>±N unit</c> or <c>start of day|month|year</c>,
    /// validated by the caller.
    /// </summary>
    void AppendStrftime(SqlBuilder sql, string format, Action<SqlBuilder> time, IReadOnlyList<string> modifiers);

    /// <summary>Appends the Haversine distance in kilometres between two points given as numbers.</summary>
    void AppendGeoDistance(SqlBuilder sql, Action<SqlBuilder> lonA, Action<SqlBuilder> latA, Action<SqlBuilder> lonB, Action<SqlBuilder> latB);

    /// <summary>Appends the ORDER BY expression for <c>@rowid</c> (insertion order) of the table aliased <paramref name="alias"/>.</summary>
    void AppendRowIdOrder(SqlBuilder sql, string alias);

    /// <summary>Appends <c>ASC</c>/<c>DESC</c> so that NULLs sort first ascending and last descending, as in SQLite.</summary>
    void AppendSortDirection(SqlBuilder sql, bool descending, bool nullable);

    /// <summary>
    /// Ends a SELECT run inside a write unit so the rows it reads stay locked until the commit (<c> FOR UPDATE</c> on
    /// PostgreSQL, where concurrent transactions interleave); "" on SQLite, whose one writer already serialises them.
    /// </summary>
    string LockRowsClause { get; }

    /// <summary>
    /// How many rows a bulk insert (<c>RecordStore.InsertRowsAsync</c>) puts in one statement. SQLite runs in-process, so
    /// a statement prepared once and run per row costs least there (it looks a named parameter up by scanning, so a
    /// statement of thousands of parameters is slow to bind); PostgreSQL pays a round trip per statement, so it takes
    /// hundreds of rows at once.
    /// </summary>
    int RowsPerInsert { get; }
}
