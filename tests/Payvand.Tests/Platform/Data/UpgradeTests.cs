using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Payvand.Modules.Activities;
using Payvand.Modules.Contacts;
using Payvand.Modules.Purchases;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Data;

// A live database is upgraded, never rebuilt: one made at the baseline (the Initial migration, the schema of the first
// release) and filled the way that release wrote it is migrated to the newest migration and keeps every row. The rows
// are written with the baseline's own columns in SQL, as the old release would have; the newest model reads them.
[Trait("Category", "Integration")]
public sealed class UpgradeTests
{
    [Fact]
    public async Task A_database_at_the_baseline_keeps_people_purchases_imports_and_jobs_through_every_migration()
    {
        await using var database = await TestDatabase.Create();
        var options = new DbContextOptionsBuilder<PayvandDb>();
        DataSetup.Configure(options, Enum.Parse<DatabaseProvider>(database.Provider), database.ConnectionString);
        await using var db = new PayvandDb(options.Options);
        var migrator = db.GetService<IMigrator>();
        var all = db.Database.GetMigrations().ToList();
        Assert.True(all.Count >= 2, "The baseline and at least one migration after it");
        Assert.EndsWith("_Initial", all[0], StringComparison.Ordinal);
        await migrator.MigrateAsync(all[0]);

        var at = new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Branches" ("Id", "Name", "IsActive", "Version", "CreatedAt", "UpdatedAt") VALUES (1, 'مرکزی', {true}, 1, {at}, {at})
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AspNetUsers" ("Id", "UserName", "DisplayName", "TimeZone", "IsActive", "MustChangePassword", "CreatedAt", "UpdatedAt", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES (1, 'admin@old.example', 'مدیر', 'Asia/Tehran', {true}, {false}, {at}, {at}, {true}, {false}, {false}, {true}, 0)
            """);
        // The first release kept consent as four columns of the person (0 unknown, 1 opted in, 2 opted out) and a history
        // whose channel was a number (0 SMS, 1 email, 2 call, 3 fax).
        int[][] consent = [[1, 2, 0, 0], [2, 0, 1, 0], [0, 0, 0, 0]];
        for (var i = 1; i <= 3; i++)
        {
            var name = "کاظمی " + i;
            var (sms, email, call, fax) = (consent[i - 1][0], consent[i - 1][1], consent[i - 1][2], consent[i - 1][3]);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Contacts" ("Id", "FirstName", "LastName", "SortName", "Gender", "Source", "Lifecycle", "BranchId", "Preferences_BestDays", "SmsConsent", "EmailConsent", "CallConsent", "FaxConsent", "PurchaseCount", "NetSpent", "LastPurchaseAt", "Version", "CreatedAt", "UpdatedAt")
                VALUES ({i}, 'مریم', {name}, {name}, 0, 0, 1, 1, 0, {sms}, {email}, {call}, {fax}, {(i == 1 ? 1 : 0)}, {(i == 1 ? 250_000L : 0L)}, {(i == 1 ? at : (DateTime?)null)}, 1, {at}, {at})
                """);
        }

        var later = at.AddHours(3);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ConsentRecords" ("Id", "ContactId", "Channel", "Status", "Source", "RecordedAt", "RecordedById", "Note") VALUES
            (1, 1, 0, 1, 'فرم باشگاه', {at}, 1, NULL), (2, 2, 0, 1, 'فرم باشگاه', {at}, 1, NULL), (3, 2, 0, 2, 'لغو11', {later}, NULL, 'پاسخ پیامک')
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Purchases" ("Id", "ContactId", "BranchId", "Channel", "ExternalOrderId", "SourceSystem", "OccurredAt", "Currency", "Discount", "Total", "Refunded", "Version", "CreatedAt", "UpdatedAt")
            VALUES (1, 1, 1, 0, 'A-1', 'till', {at}, 'IRR', 0, 250000, 0, 1, {at}, {at})
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PurchaseLines" ("Id", "PurchaseId", "Description", "Quantity", "UnitPrice", "Discount", "LineTotal") VALUES (1, 1, 'چای', {2.5m}, 100000, 0, 250000)
            """);
        // The old release's timeline entries of the purchase and of a refund of it: prose in the recorder's language, no data.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Refunds" ("Id", "PurchaseId", "RefundedAt", "Amount") VALUES (1, 1, {at}, 50000)
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Activities" ("Id", "Kind", "Type", "ContactId", "BranchId", "OccurredAt", "Subject", "SourceType", "SourceId", "CreatedAt")
            VALUES (1, {(int)ActivityKind.External}, 'purchase', 1, 1, {at}, 'خرید به مبلغ 250,000 IRR', 'Purchase', '1', {at}),
                   (2, {(int)ActivityKind.External}, 'refund', 1, 1, {at}, 'Refund of 50,000 IRR', 'Refund', '1', {at})
            """);
        const string scope = """{"UserId":1,"UserName":"admin@old.example","Roles":["Admin"],"BranchIds":[1]}""";
        const string payload = """{"ImportId":1}""";
        const string headers = """["نام"]""";
        const string settings = "{}";
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Jobs" ("Id", "Kind", "Status", "Done", "Total", "Scope", "CreatedAt", "CancelRequested", "Payload", "CreatedById")
            VALUES (1, 'import', {(int)JobStatus.Running}, 2000, 5000, {scope}, {at}, {false}, {payload}, 1)
            """);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Imports" ("Id", "Kind", "FileName", "Format", "TotalRows", "Headers", "Settings", "CreatedById", "CreatedAt", "Created", "Updated", "Skipped", "Invalid", "JobId")
            VALUES (1, 'people', 'مشتریان.csv', 0, 5000, {headers}, {settings}, 1, {at}, 1990, 5, 5, 0, 1)
            """);

        if (db.Database.IsNpgsql())
        {
            // The old release wrote its rows through the identity columns; the rows above name their ids, so the
            // sequences are moved past them as the old release's own inserts would have left them.
            foreach (var table in new[] { "Branches", "AspNetUsers", "Contacts", "ConsentRecords", "Purchases", "PurchaseLines", "Refunds", "Activities", "Jobs", "Imports" })
            {
                var moveSequence = $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT MAX("Id") FROM "{table}"))""";
                await db.Database.ExecuteSqlRawAsync(moveSequence);
            }
        }

        await migrator.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());

        var people = await db.Contacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["کاظمی 1", "کاظمی 2", "کاظمی 3"], people.Select(c => c.LastName));
        Assert.Equal((1, 250_000L, at), (people[0].PurchaseCount, people[0].NetSpent, people[0].LastPurchaseAt!.Value));
        Assert.All(people, c => Assert.Equal(LifecycleStage.Lead, c.Lifecycle));
        var purchase = await db.Purchases.AsNoTracking().Include(p => p.Lines).SingleAsync();
        Assert.Equal(("A-1", 250_000L, 2.5m), (purchase.ExternalOrderId, purchase.Total, purchase.Lines.Single().Quantity));
        var import = await db.Imports.AsNoTracking().SingleAsync();
        Assert.Equal(("مشتریان.csv", 1990, 1), (import.FileName, import.Created, import.JobId));
        // The interrupted job of the old release: no claim, no attempts yet; the runner takes it up as an expired claim.
        var jobs = await db.Jobs.AsNoTracking().OrderBy(j => j.Id).ToListAsync();
        Assert.Equal(2, jobs.Count);
        var job = jobs[0];
        Assert.Equal((JobStatus.Running, 2000, 0, (DateTime?)null, (DateTime?)null), (job.Status, job.Done, job.Attempts, job.LockedUntil, job.NotBefore));
        // The people saved before the new terms (issue 11) are written again by the search-reindex job, queued once.
        var reindex = jobs[1];
        Assert.Equal((Payvand.Platform.Search.SearchReindexJob.JobKind, JobStatus.Queued, 0), (reindex.Kind, reindex.Status, reindex.Done));
        Assert.Equal(Payvand.Platform.Auth.UserScope.System.UserName, reindex.User().UserName);
        Assert.Empty(await db.OutboxMessages.ToListAsync());
        // The old entries now carry their facts, which the timeline draws in each reader's language (the prose stays).
        var entries = await db.Activities.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Data, a.Subject }).ToListAsync();
        Assert.Equal(new PurchaseEntryData(250_000, "IRR", 1), JsonSerializer.Deserialize<PurchaseEntryData>(entries[0].Data!, JsonSerializerOptions.Web));
        Assert.Equal(new RefundEntryData(50_000, "IRR"), JsonSerializer.Deserialize<RefundEntryData>(entries[1].Data!, JsonSerializerOptions.Web));
        Assert.Equal("خرید به مبلغ 250,000 IRR", entries[0].Subject);

        // Each decided consent column became a promotional consent row, dated and sourced by its latest history entry
        // (else by the person's last change); the history names channels by key and is promotional.
        var consents = await db.ContactConsents.AsNoTracking().OrderBy(c => c.ContactId).ThenBy(c => c.Channel).ToListAsync();
        Assert.Equal(
            [(1, "email", ConsentStatus.OptedOut, at, "migrated"), (1, "sms", ConsentStatus.OptedIn, at, "فرم باشگاه"),
             (2, "call", ConsentStatus.OptedIn, at, "migrated"), (2, "sms", ConsentStatus.OptedOut, later, "لغو11")],
            consents.Select(c => (c.ContactId, c.Channel, c.Status, c.ChangedAt, c.Source)));
        Assert.All(consents, c => Assert.Equal(ContactPurpose.Promotional, c.Purpose));
        var history = await db.ConsentRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([(1, "sms", ConsentStatus.OptedIn), (2, "sms", ConsentStatus.OptedIn), (2, "sms", ConsentStatus.OptedOut)], history.Select(r => (r.ContactId, r.Channel, r.Status)));
        Assert.All(history, r => Assert.Equal(ContactPurpose.Promotional, r.Purpose));
        Assert.Equal(ConsentChannel.Seeded, await db.Channels.OrderBy(c => c.SortOrder).Select(c => c.Key).ToListAsync());
    }
}
