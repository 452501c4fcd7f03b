using System.Net;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// ContactReach, the narrow row Reachability counts from, stays in step with what it copies (contact points, the
// blocklist, best times) through every writer: the person form, the blocklist API, merge, erasure, set-based SQL and a
// hard delete. After each step the rows are compared with the same facts worked out here from the sources.
[Trait("Category", "Integration")]
public sealed class ContactReachTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private static string NewMobile() => "0912" + Random.Shared.Next(1_000_000, 9_999_999);

    private static ContactInput Person(string mobile, string? email = null, PreferencesInput? preferences = null, int? version = null) => new()
    {
        FirstName = "نگار",
        LastName = "رسا " + Guid.NewGuid().ToString("N")[..6],
        Points = email is null
            ? [new ContactPointInput(ContactPointKind.Mobile, mobile, IsPrimary: true)]
            : [new ContactPointInput(ContactPointKind.Mobile, mobile, IsPrimary: true), new ContactPointInput(ContactPointKind.Email, email, IsPrimary: true)],
        Preferences = preferences,
        Version = version,
    };

    private sealed record Facts(
        int Kinds, int OpenKinds, bool LineBlocks, ContactDays BestDays, TimeOnly? BestFrom, TimeOnly? BestTo, bool Deleted, int BranchId, long ConsentIn, long ConsentOut);

    // The row as stored and as worked out from the sources; every person has one, and a hard-deleted person none.
    private async Task<(Facts? Stored, Facts? Expected)> Read(int id)
    {
        await using var db = await app.Db();
        var row = await db.Set<ContactReach>().AsNoTracking().SingleOrDefaultAsync(r => r.ContactId == id);
        var stored = row is null ? null
            : new Facts(row.Kinds, row.OpenKinds, row.LineBlocks, row.BestDays, row.BestFrom, row.BestTo, row.Deleted, row.BranchId, row.ConsentIn, row.ConsentOut);
        var person = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(c => c.Points).SingleOrDefaultAsync(c => c.Id == id);
        if (person is null) return (stored, null);
        var addresses = person.Points.Select(p => p.NormalizedValue).ToList();
        var blocks = await db.BlockedAddresses.AsNoTracking().Where(b => addresses.Contains(b.Address)).ToListAsync();
        var bits = await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Key, c => c.Bit);
        var consent = await db.ContactConsents.AsNoTracking().Where(k => k.ContactId == id).ToListAsync();
        long Mask(ConsentStatus status) => consent.Where(k => k.Status == status).Aggregate(0L, (m, k) => m | ConsentChannel.ConsentBit(bits[k.Channel], k.Purpose));
        var expected = new Facts(
            ContactReach.Mask(person.Points.Select(p => p.Kind)),
            ContactReach.Mask(person.Points.Where(p => !blocks.Any(b => b.Address == p.NormalizedValue && b.SenderLine == null)).Select(p => p.Kind)),
            person.Points.Any(p => blocks.Any(b => b.Address == p.NormalizedValue && b.SenderLine != null)),
            person.Preferences.BestDays, person.Preferences.BestFrom, person.Preferences.BestTo,
            person.DeletedAt is not null, person.BranchId, Mask(ConsentStatus.OptedIn), Mask(ConsentStatus.OptedOut));
        return (stored, expected);
    }

    private async Task<Facts> InStep(int id)
    {
        var (stored, expected) = await Read(id);
        Assert.NotNull(expected);
        Assert.Equal(expected, stored);
        return stored!;
    }

    private static int Bit(ContactPointKind kind) => 1 << (int)kind;

    [Fact]
    public async Task The_facts_follow_the_form_the_blocklist_merge_erasure_and_set_based_sql()
    {
        var admin = await app.AdminClient();
        var mobile = NewMobile();
        var email = $"reach{Guid.NewGuid():N}@example.com";
        var office = new PreferencesInput(BestDays: ContactDays.Saturday | ContactDays.Sunday, BestFrom: new TimeOnly(9, 0), BestTo: new TimeOnly(18, 0));
        var person = await (await admin.PostJson("/api/contacts", Person(mobile, email, office))).Read<ContactDetails>(HttpStatusCode.Created);
        var facts = await InStep(person.Id);
        Assert.Equal((Bit(ContactPointKind.Mobile) | Bit(ContactPointKind.Email), facts.Kinds, false), (facts.OpenKinds, facts.Kinds, facts.LineBlocks));
        Assert.Equal(new TimeOnly(9, 0), facts.BestFrom);

        // The form: the email goes, the best times change.
        person = await (await admin.PutJson($"/api/contacts/{person.Id}", Person(mobile, null, office with { BestDays = ContactDays.Friday, BestFrom = null, BestTo = null }, person.Version)))
            .Read<ContactDetails>();
        facts = await InStep(person.Id);
        Assert.Equal((Bit(ContactPointKind.Mobile), ContactDays.Friday), (facts.Kinds, facts.BestDays));

        // The blocklist: on one line, then on every line.
        var e164 = person.Points.Single().NormalizedValue;
        await (await admin.PostJson("/api/consent/blocked", new BlockRequest(mobile, "3000123"))).Expect(HttpStatusCode.NoContent);
        Assert.True((await InStep(person.Id)).LineBlocks);
        await (await admin.PostJson("/api/consent/blocked", new BlockRequest(mobile))).Expect(HttpStatusCode.NoContent);
        Assert.Equal(0, (await InStep(person.Id)).OpenKinds);

        // Set-based SQL (as an operator's cleanup would run it): the blocks go, the facts follow.
        await using (var db = await app.Db())
        {
            await db.BlockedAddresses.Where(b => b.Address == e164).ExecuteDeleteAsync();
        }

        Assert.Equal((Bit(ContactPointKind.Mobile), false), ((await InStep(person.Id)).OpenKinds, (await InStep(person.Id)).LineBlocks));

        // Merge: the other's email moves to the survivor; the other keeps no points.
        var otherEmail = $"reach{Guid.NewGuid():N}@example.com";
        var other = await (await admin.PostJson("/api/contacts", Person(NewMobile(), otherEmail))).Read<ContactDetails>(HttpStatusCode.Created);
        await (await admin.PostJson($"/api/contacts/{person.Id}/merge", new MergeContacts.Request(other.Id, person.Version, other.Version))).Expect(HttpStatusCode.NoContent);
        Assert.Equal(Bit(ContactPointKind.Mobile) | Bit(ContactPointKind.Email), (await InStep(person.Id)).Kinds);
        await InStep(other.Id);

        // Erasure: points and best times go.
        person = await (await admin.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>();
        await (await admin.PostJson($"/api/contacts/{person.Id}/personal-data/erase", new PersonalDataRequests.EraseRequest(person.DisplayName, "asked")))
            .Expect(HttpStatusCode.NoContent);
        Assert.Equal(0, (await InStep(person.Id)).Kinds);

        // A hard delete takes the row with the person.
        await using (var db = await app.Db())
        {
            await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == other.Id).ExecuteDeleteAsync();
            Assert.False(await db.Set<ContactReach>().AnyAsync(r => r.ContactId == other.Id));
        }
    }

    [Fact]
    public async Task Consent_deletion_and_branch_are_copied_through_the_api_and_set_based_sql()
    {
        var admin = await app.AdminClient();
        var person = await (await admin.PostJson("/api/contacts", Person(NewMobile()))).Read<ContactDetails>(HttpStatusCode.Created);
        Assert.Equal((0L, 0L, false), ((await InStep(person.Id)).ConsentIn, (await InStep(person.Id)).ConsentOut, (await InStep(person.Id)).Deleted));

        await (await admin.PostJson($"/api/contacts/{person.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedIn))).Expect(HttpStatusCode.NoContent);
        await (await admin.PostJson($"/api/contacts/{person.Id}/consent", new SetConsent.Request(ConsentChannel.Email, ConsentStatus.OptedOut, Purpose: ContactPurpose.Transactional)))
            .Expect(HttpStatusCode.NoContent);
        var facts = await InStep(person.Id);
        Assert.Equal((ConsentChannel.ConsentBit(0, ContactPurpose.Promotional), ConsentChannel.ConsentBit(1, ContactPurpose.Transactional)), (facts.ConsentIn, facts.ConsentOut));

        // Opted out where it was in: the bit moves from one mask to the other.
        await (await admin.PostJson($"/api/contacts/{person.Id}/consent", new SetConsent.Request(ConsentChannel.Sms, ConsentStatus.OptedOut))).Expect(HttpStatusCode.NoContent);
        facts = await InStep(person.Id);
        Assert.Equal(0L, facts.ConsentIn);

        // Moved to another branch, deleted, restored.
        var branch = await app.CreateBranch("شعبه " + Guid.NewGuid().ToString("N")[..6]);
        person = await (await admin.GetAsync($"/api/contacts/{person.Id}")).Read<ContactDetails>();
        await (await admin.PutJson($"/api/contacts/{person.Id}", Person(person.Points[0].Value, null, null, person.Version) with { BranchId = branch })).Read<ContactDetails>();
        Assert.Equal(branch, (await InStep(person.Id)).BranchId);
        await (await admin.DeleteAsync($"/api/contacts/{person.Id}")).Expect(HttpStatusCode.NoContent);
        Assert.True((await InStep(person.Id)).Deleted);

        // Set-based SQL on consent and on people (an operator's cleanup): the rows follow.
        await using (var db = await app.Db())
        {
            await db.ContactConsents.Where(k => k.ContactId == person.Id).ExecuteUpdateAsync(u => u.SetProperty(k => k.Status, ConsentStatus.OptedIn));
            Assert.Equal(ConsentChannel.ConsentBit(0, ContactPurpose.Promotional) | ConsentChannel.ConsentBit(1, ContactPurpose.Transactional), (await InStep(person.Id)).ConsentIn);
            await db.ContactConsents.Where(k => k.ContactId == person.Id).ExecuteDeleteAsync();
            await db.Contacts.IgnoreQueryFilters().Where(c => c.Id == person.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.DeletedAt, (DateTime?)null));
        }

        facts = await InStep(person.Id);
        Assert.Equal((0L, 0L, false), (facts.ConsentIn, facts.ConsentOut, facts.Deleted));
    }

    [Fact]
    public async Task Best_times_set_on_a_person_without_points_are_copied_when_the_first_point_arrives()
    {
        await using var db = await app.Db();
        var contact = new Contact
        {
            LastName = "بی‌نشانی " + Guid.NewGuid().ToString("N")[..6],
            BranchId = app.MainBranchId,
            Preferences = new ContactPreferences { BestDays = ContactDays.Monday, BestFrom = new TimeOnly(21, 0), BestTo = new TimeOnly(2, 0) },
        };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        Assert.Equal((0, ContactDays.Monday), ((await InStep(contact.Id)).Kinds, (await InStep(contact.Id)).BestDays));

        var mobile = "+989" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        contact.Points.Add(new ContactPoint { Kind = ContactPointKind.Mobile, Value = mobile, NormalizedValue = mobile, IsPrimary = true });
        await db.SaveChangesAsync();
        var facts = await InStep(contact.Id);
        Assert.Equal((ContactDays.Monday, new TimeOnly(21, 0), new TimeOnly(2, 0)), (facts.BestDays, facts.BestFrom, facts.BestTo));

        // A point's address edited in place: a blocked one now.
        Reachability.Block(db, "+989100000001", null, "test", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        await db.SaveChangesAsync();
        contact.Points[0].NormalizedValue = "+989100000001";
        await db.SaveChangesAsync();
        Assert.Equal(0, (await InStep(contact.Id)).OpenKinds);
    }
}
