using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Persian;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// The Jalali month and day of a birth date (birthday messages): kept by the setter of BirthDate, and filled by the
// migration's statement for people written before the column existed, the same on SQLite and PostgreSQL.
[Trait("Category", "Integration")]
public sealed class BirthMonthDaysTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task The_migrations_back_fill_gives_the_month_and_day_the_setter_keeps()
    {
        // Every day around four Nowruzes (March 19-22 falls on both sides), the last days of Esfand in leap and other
        // years, and a day of each month.
        var dates = new List<DateOnly>();
        foreach (var year in new[] { 1950, 1991, 2024, 2025, 2028 })
        {
            for (var d = new DateOnly(year, 3, 15); d <= new DateOnly(year, 3, 25); d = d.AddDays(1)) dates.Add(d);
            for (var m = 1; m <= 12; m++) dates.Add(new DateOnly(year, m, 10));
        }

        dates.Add(Jalali.ToGregorian(1403, 12, 30));
        dates.Add(Jalali.ToGregorian(1375, 12, 30));
        dates.Add(Jalali.ToGregorian(1300, 6, 31));
        dates.Add(Jalali.ToGregorian(1300, 7, 1));
        var branch = await app.CreateBranch("Birthdays " + Guid.NewGuid().ToString("N")[..6]);
        await using var db = await app.Db();
        var people = dates.Select(d => new Contact { LastName = "تولد", BranchId = branch, BirthDate = d }).ToList();
        db.Contacts.AddRange(people);
        await db.SaveChangesAsync();
        var ids = people.Select(p => p.Id).ToList();
        Assert.All(people, p => Assert.Equal(Contact.JalaliMonthDay(p.BirthDate), p.BirthMonthDay));
        Assert.Equal(1230, people[^4].BirthMonthDay);

        await db.Contacts.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.BirthMonthDay, (int?)null));
        await db.Database.ExecuteSqlRawAsync(BirthMonthDays.BackfillSql(db.Database.IsNpgsql()));

        var filled = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.BirthMonthDay);
        Assert.All(people, p => Assert.True(Contact.JalaliMonthDay(p.BirthDate) == filled[p.Id], $"{p.BirthDate}: {filled[p.Id]}"));
    }
}
