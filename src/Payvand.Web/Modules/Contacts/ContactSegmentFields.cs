using Payvand.Platform.Persian;
using Payvand.Platform.Segments;

namespace Payvand.Modules.Contacts;

// The fields of the person's own record that segments select people by.
internal static class ContactSegmentFields
{
    public static IServiceCollection AddContactSegmentFields(this IServiceCollection services) => services
        .AddSegmentField(SegmentField.Key("contacts.firstName", "First name", "Person", db => db.Contacts, c => c.Id, c => c.FirstNameKey, ContactConfiguration.NameLength))
        .AddSegmentField(SegmentField.Key("contacts.lastName", "Last name", "Person", db => db.Contacts, c => c.Id, c => c.LastNameKey, ContactConfiguration.NameLength))
        .AddSegmentField(SegmentField.Text("contacts.city", "City", "Person", db => db.Contacts, c => c.Id, c => c.City))
        .AddSegmentField(SegmentField.Text("contacts.province", "Province", "Person", db => db.Contacts, c => c.Id, c => c.Province))
        .AddSegmentField(SegmentField.Choice("contacts.lifecycle", "Lifecycle stage", "Person", db => db.Contacts, c => c.Id, c => c.Lifecycle, null))
        .AddSegmentField(SegmentField.Choice("contacts.gender", "Gender", "Person", db => db.Contacts, c => c.Id, c => c.Gender, "Gender"))
        .AddSegmentField(SegmentField.Choice("contacts.source", "Source", "Person", db => db.Contacts, c => c.Id, c => c.Source, "Source"))
        .AddSegmentField(SegmentField.Date("contacts.createdAt", "Created", "Person", db => db.Contacts, c => c.Id, c => c.CreatedAt))
        .AddSegmentField(SegmentField.Set("contacts.tag", "Tag", "Person", db => db.Contacts.Select(c => c.Id), (db, tags) =>
        {
            var names = tags.Select(PersianText.Normalize).ToList();
            return db.Contacts.Where(c => c.Tags.Any(t => names.Contains(t.Name))).Select(c => c.Id);
        }))
        .AddSegmentField(ContactSegmentCriteria.Branch())
        .AddSegmentField(ContactSegmentCriteria.BirthMonth())
        .AddSegmentField(ContactSegmentCriteria.BirthdayWithin())
        .AddSegmentField(ContactSegmentCriteria.Consent(ConsentChannel.Sms))
        .AddSegmentField(ContactSegmentCriteria.Consent(ConsentChannel.Email))
        .AddSegmentField(ContactSegmentCriteria.Consent(ConsentChannel.Call))
        .AddSegmentField(ContactSegmentCriteria.Consent(ConsentChannel.Fax));
}
