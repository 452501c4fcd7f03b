using System.Globalization;
using System.Text;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Contacts;

// Fills Contacts.BirthMonthDay (Jalali month * 100 + day) from BirthDate for the people written before the column
// existed: one statement, called by the migration that adds the column. The Jalali calendar comes from .NET's
// PersianCalendar (through Jalali), as for every other date: the statement carries the Gregorian date of each Nowruz
// (1 Farvardin) of the years 1821-2121, and a day's month and day follow from its distance to the Nowruz before it
// (six months of 31 days, five of 30, then Esfand).
public static class BirthMonthDays
{
    public static string BackfillSql(bool postgres)
    {
        var years = new StringBuilder();
        for (var year = 1821; year <= 2121; year++)
        {
            if (years.Length > 0) years.Append(", ");
            var (nowruz, before) = (Nowruz(year), Nowruz(year - 1));
            years.Append(postgres ? $"({year}, DATE '{nowruz}', DATE '{before}')" : $"({year}, '{nowruz}', '{before}')");
        }

        const string monthDay = "CASE WHEN x.d < 186 THEN (x.d / 31 + 1) * 100 + x.d % 31 + 1 ELSE ((x.d - 186) / 30 + 7) * 100 + (x.d - 186) % 30 + 1 END";
        return postgres
            ? $"""
              UPDATE "Contacts" AS c SET "BirthMonthDay" = {monthDay}
              FROM (SELECT b."Id", b."BirthDate" - (CASE WHEN b."BirthDate" >= n.nz THEN n.nz ELSE n.pz END) AS d
                    FROM "Contacts" AS b JOIN (VALUES {years}) AS n(gy, nz, pz) ON n.gy = EXTRACT(YEAR FROM b."BirthDate")) AS x
              WHERE c."Id" = x."Id";
              """
            : $"""
              UPDATE "Contacts" SET "BirthMonthDay" = {monthDay}
              FROM (SELECT b."Id" AS id, CAST(julianday(b."BirthDate") - julianday(CASE WHEN b."BirthDate" >= n.column2 THEN n.column2 ELSE n.column3 END) AS INTEGER) AS d
                    FROM "Contacts" AS b JOIN (VALUES {years}) AS n ON n.column1 = CAST(substr(b."BirthDate", 1, 4) AS INTEGER)) AS x
              WHERE "Contacts"."Id" = x.id;
              """;
    }

    private static string Nowruz(int gregorianYear)
    {
        // 1 Farvardin falls on 19, 20, 21 or 22 March: the day of those whose Jalali day is 1.
        var day = Enumerable.Range(19, 4).Select(d => new DateOnly(gregorianYear, 3, d)).First(d => Jalali.FromGregorian(d).Day == 1);
        return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
