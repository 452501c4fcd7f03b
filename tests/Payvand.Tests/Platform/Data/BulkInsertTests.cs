using Microsoft.Data.Sqlite;
using Payvand.Platform.Data;
using SQLitePCL;

namespace Payvand.Tests.Platform.Data;

// BulkInsert binds SQLite values itself, by position: each must reach SQLite exactly as Microsoft.Data.Sqlite (and so
// SaveChanges) binds it, same storage class and same text, or imported rows would read and sort differently.
public sealed class BulkInsertTests
{
    public static TheoryData<object?> Values() =>
    [
        null, "", "علی کریمی", "a'b\"c\u0000d", true, false, 0L, long.MinValue, long.MaxValue, 42, -7, (short)3, (byte)200,
        DayOfWeek.Friday, 3.25, -0.5, double.MaxValue,
        new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), new DateTime(2024, 5, 1, 10, 0, 0, 123, DateTimeKind.Utc).AddTicks(4560),
        new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Unspecified).AddTicks(1), DateTime.MinValue, DateTime.MaxValue,
        new DateOnly(1991, 8, 3), DateOnly.MinValue, new TimeOnly(9, 30), new TimeOnly(9, 30, 5, 120), TimeOnly.MaxValue,
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_bound_as_Microsoft_Data_Sqlite_binds_it(object? value)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(@p), quote(@p)";
        command.Parameters.AddWithValue("@p", value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var expected = (reader.GetString(0), reader.GetString(1));

        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(connection.Handle, "SELECT typeof(?1), quote(?1)", out var statement));
        using (statement)
        {
            Assert.Equal(raw.SQLITE_OK, BulkInsert.BindSqlite(statement, 1, value));
            Assert.Equal(raw.SQLITE_ROW, raw.sqlite3_step(statement));
            Assert.Equal(expected, (raw.sqlite3_column_text(statement, 0).utf8_to_string(), raw.sqlite3_column_text(statement, 1).utf8_to_string()));
        }
    }
}
