namespace Basalt.Storage;

/// <summary>The great-circle distance formula both dialects emit for <c>geoDistance()</c>; only the names of min/max differ.</summary>
internal static class Haversine
{
    /// <summary>6371 km × the central angle; the cosine is clamped to [-1, 1] because rounding can push it past acos's domain.</summary>
    public static void Append(
        SqlBuilder sql, string least, string greatest,
        Action<SqlBuilder> lonA, Action<SqlBuilder> latA, Action<SqlBuilder> lonB, Action<SqlBuilder> latB)
    {
        void Radians(Action<SqlBuilder> v)
        {
            sql.Append("radians(");
            v(sql);
            sql.Append(')');
        }

        sql.Append("(6371 * acos(").Append(least).Append("(1, ").Append(greatest).Append("(-1, cos(");
        Radians(latA);
        sql.Append(") * cos(");
        Radians(latB);
        sql.Append(") * cos(");
        Radians(lonB);
        sql.Append(" - ");
        Radians(lonA);
        sql.Append(") + sin(");
        Radians(latA);
        sql.Append(") * sin(");
        Radians(latB);
        sql.Append(")))))");
    }
}
