using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Notifications;
using Payvand.Tests.Infrastructure;
using Payvand.Tests.Modules.Imports;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Platform.Notifications;

// Staff notifications (the bell): written in the transaction of what caused them, once, read in the reader's language,
// each user's own.
[Trait("Category", "Integration")]
public sealed class NotificationsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static async Task<PagedResult<NotificationView>> Mine(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/notifications" + query)).Read<PagedResult<NotificationView>>();

    private static async Task<int> Unread(HttpClient client) =>
        (await (await client.GetAsync("/api/notifications/unread-count")).Read<MyNotifications.UnreadAnswer>()).Unread;

    [Fact]
    public async Task A_finished_import_and_export_tell_the_user_who_started_them_once_in_their_language()
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        var persian = await app.ClientFor(user, "fa-IR");
        var csv = Utf8(Csv(["نام", "نام خانوادگی", "موبایل"], ["سارا", "کهن", NewMobile()], ["علی", "راد", NewMobile()], ["", "", "bad"]), bom: true);
        var import = await Run(client, await Uploaded(client, csv, "club.csv"));

        var notes = await Waiting.Until(() => Mine(client), p => p.Total >= 1, "The import's notification");
        var note = Assert.Single(notes.Items);
        Assert.Equal("import.finished", note.Kind);
        Assert.Equal("Import of club.csv finished: 2 added, 0 updated, 0 skipped, 1 with errors.", note.Text);
        Assert.Equal($"imports/{import.Id}", note.Link);
        Assert.Null(note.ReadAt);
        Assert.Equal("ورود club.csv تمام شد: ۲ افزوده، ۰ به‌روز، ۰ ردشده، ۱ با خطا.", (await Mine(persian)).Items.Single().Text);

        await ExportsApiTests.Exported(client, "contacts", "format=csv");
        notes = await Waiting.Until(() => Mine(client), p => p.Total >= 2, "The export's notification");
        Assert.Equal(["export.finished", "import.finished"], notes.Items.Select(n => n.Kind).ToArray());
        Assert.StartsWith("Your export of People is ready to download:", notes.Items[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("خروجی اشخاص آماده دریافت است:", (await Mine(persian)).Items[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, await Unread(client));

        // Nobody else sees them, reads them or marks them.
        var other = await app.ClientAs("Sales");
        Assert.Equal(0, (await Mine(other)).Total);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/notifications/{note.Id}/read", null)).StatusCode);
        Assert.Equal(2, await Unread(client));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/notifications/{note.Id}/read", null)).StatusCode);
        Assert.Equal(1, await Unread(client));
        Assert.Equal([notes.Items[0].Id], (await Mine(client, "?unread=true")).Items.Select(n => n.Id).ToArray());
        Assert.Equal(1, (await (await client.PostAsync("/api/notifications/read-all", null)).Read<MyNotifications.MarkedAnswer>()).Marked);
        Assert.Equal(0, await Unread(client));
        Assert.Equal(2, (await Mine(client)).Total);
    }

    [Fact]
    public async Task A_person_given_to_someone_else_tells_the_new_owner_once_and_a_bulk_assignment_tells_them_once()
    {
        var owner = await app.CreateUser("Sales", app.MainBranchId);
        var ownerClient = await app.ClientFor(owner);
        var manager = await app.ClientAs("Manager");
        var name = "Owned" + Guid.NewGuid().ToString("N")[..8];
        var person = await (await manager.PostJson("/api/contacts", new ContactInput { LastName = name, OwnerId = owner.Id })).Read<ContactDetails>(HttpStatusCode.Created);

        var note = Assert.Single((await Mine(ownerClient)).Items);
        Assert.Equal("contact.owner", note.Kind);
        Assert.Contains(name, note.Text, StringComparison.Ordinal);
        Assert.EndsWith($"made you the owner of {name}.", note.Text, StringComparison.Ordinal);
        Assert.Equal($"contacts/{person.Id}", note.Link);

        // Saved again with the same owner: nothing new. People one creates for oneself tell nobody.
        await (await manager.PutJson($"/api/contacts/{person.Id}", new ContactInput { LastName = name + "x", OwnerId = owner.Id, Version = person.Version })).Read<ContactDetails>();
        await (await ownerClient.PostJson("/api/contacts", new ContactInput { LastName = name + "mine" })).Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal(1, (await Mine(ownerClient)).Total);

        var ids = new List<int>();
        for (var i = 0; i < 3; i++) ids.Add((await (await manager.PostJson("/api/contacts", new ContactInput { LastName = name + i })).Read<ContactDetails>(HttpStatusCode.Created)).Id);
        await (await manager.PostJson("/api/contacts/bulk", new BulkUpdateContacts.Request(BulkAction.Assign, ids, OwnerId: owner.Id))).Read<BulkUpdate.Response>();
        var bulk = (await Mine(ownerClient)).Items[0];
        Assert.Equal("records.assigned", bulk.Kind);
        Assert.EndsWith("gave you 3 records of People.", bulk.Text, StringComparison.Ordinal);
        Assert.Equal(2, await Unread(ownerClient));
    }

    [Fact]
    public async Task A_notification_with_a_key_is_kept_once_and_open_bells_are_told_after_the_commit()
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var notifier = app.Services.GetRequiredService<Notifier>();
        var told = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Told(int id)
        {
            if (id == user.Id) told.TrySetResult(id);
        }

        var signal = app.Services.GetRequiredService<NotificationSignal>();
        signal.Changed += Told;
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await using var db = await app.Db();
                await using var tx = await db.Database.BeginTransactionAsync();
                await notifier.Notify(db, [user.Id, user.Id], new NotificationRequest("contact.owner", "{0} made you the owner of {1}.", ["A", "B"], Key: "test:1"), CancellationToken.None);
                await db.SaveChangesAsync();
                if (i == 0) Assert.False(told.Task.IsCompleted, "Told before the commit");
                await tx.CommitAsync();
                if (i == 0) Assert.Equal(user.Id, await told.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            signal.Changed -= Told;
        }

        await using var check = await app.Db();
        Assert.Equal(1, await check.Set<Notification>().CountAsync(n => n.UserId == user.Id));
    }

    [Fact]
    public async Task Each_user_chooses_email_per_kind_every_registered_kind_is_listed_and_without_an_email_channel_nothing_is_sent()
    {
        var user = await app.CreateUser("Sales", app.MainBranchId);
        var client = await app.ClientFor(user);
        var before = await (await client.GetAsync("/api/notifications/preferences")).Read<NotificationPreferencesView>();
        Assert.False(before.EmailAvailable);
        Assert.Equal(user.Email, before.Address);
        var registered = app.Services.GetServices<NotificationKind>().Select(k => k.Key).Order().ToArray();
        Assert.Equal(registered, before.Kinds.Select(k => k.Kind).Order().ToArray());
        Assert.Subset(registered.ToHashSet(), new HashSet<string> { "contact.owner", "records.assigned", "import.finished", "export.finished" });
        Assert.All(before.Kinds, k => Assert.False(k.Email));
        Assert.Equal("Import finished", before.Kinds.Single(k => k.Kind == "import.finished").Label);

        var saved = await (await client.PutJson("/api/notifications/preferences", new NotificationPreferencesInput([new("contact.owner", true), new("import.finished", true)])))
            .Read<NotificationPreferencesView>();
        Assert.Equal(["contact.owner", "import.finished"], saved.Kinds.Where(k => k.Email).Select(k => k.Kind).Order().ToArray());
        await (await client.PutJson("/api/notifications/preferences", new NotificationPreferencesInput([new("import.finished", false)]))).Read<NotificationPreferencesView>();
        var persian = await (await (await app.ClientFor(user, "fa-IR")).GetAsync("/api/notifications/preferences")).Read<NotificationPreferencesView>();
        Assert.Equal(["contact.owner"], persian.Kinds.Where(k => k.Email).Select(k => k.Kind).ToArray());
        Assert.Equal("پایان ورود اطلاعات", persian.Kinds.Single(k => k.Kind == "import.finished").Label);

        // Another user's choices are their own.
        var other = await app.ClientAs("Sales");
        Assert.All((await (await other.GetAsync("/api/notifications/preferences")).Read<NotificationPreferencesView>()).Kinds, k => Assert.False(k.Email));

        // No email channel: the notification is in the app, no message is written.
        var manager = await app.ClientAs("Manager");
        await (await manager.PostJson("/api/contacts", new ContactInput { LastName = "Mailless", OwnerId = user.Id })).Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal("contact.owner", Assert.Single((await Mine(client)).Items).Kind);
        await using var db = await app.Db();
        Assert.False(await db.Messages.AnyAsync(m => m.Address == user.Email));

        // An unknown kind is a field error in the caller's language; the choices stay.
        var problem = await (await (await app.ClientFor(user, "fa-IR")).PutJson("/api/notifications/preferences",
            new NotificationPreferencesInput([new("contact.owner", false), new("no.such.kind", true)]))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("نوع اعلانی با نام no.such.kind وجود ندارد.", problem.GetProperty("errors").GetProperty("kinds[1].kind")[0].GetString());
        problem = await (await client.PutJson("/api/notifications/preferences", new { })).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kinds", out _));
        Assert.Equal(["contact.owner"], (await (await client.GetAsync("/api/notifications/preferences")).Read<NotificationPreferencesView>()).Kinds.Where(k => k.Email).Select(k => k.Kind).ToArray());
    }

    [Fact]
    public async Task A_kind_nobody_registered_is_refused()
    {
        await using var db = await app.Db();
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.Services.GetRequiredService<Notifier>().Notify(db, [1], new NotificationRequest("no.such.kind", "Text"), CancellationToken.None));
    }

    [Fact]
    public async Task Notifications_need_a_signed_in_user_and_bad_paging_is_a_field_error()
    {
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications/preferences")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync("/api/notifications/preferences", new { kinds = Array.Empty<object>() })).StatusCode);
        var problem = await (await (await app.ClientAs("Sales")).GetAsync("/api/notifications?page=0")).Problem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
    }
}
