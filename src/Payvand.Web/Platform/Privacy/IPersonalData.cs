using Payvand.Platform.Data;

namespace Payvand.Platform.Privacy;

// One module's share of a person's data. Every module that stores something about a person registers one
// (services.AddPersonalData<T>()), and the three operations that must reach all of it use the registered set:
// export everything about a person, erase it on request, and move it when two people are merged.
// Together the Fields of all registrations are the map of where personal data lives (GET /api/privacy/map).
public interface IPersonalData
{
    // Name of this part in a person's export, e.g. "purchases".
    string Section { get; }

    // The tables and columns of this part that hold personal data, and what erasing does to each.
    IReadOnlyList<PersonalDataField> Fields { get; }

    // Everything this part holds about the person, ready to serialize as JSON; null when it holds nothing.
    Task<object?> Export(PayvandDb db, int contactId, CancellationToken ct);

    // Deletes or anonymizes what this part holds about the person, as its Fields say. Called inside the caller's
    // transaction on the given context; changes may be tracked (the caller saves) or set-based.
    Task Erase(PayvandDb db, int contactId, CancellationToken ct);

    // Re-points what this part holds from one person to another (merge). Same transaction rules as Erase.
    Task MoveTo(PayvandDb db, int fromContactId, int intoContactId, CancellationToken ct);
}

public enum PersonalDataTreatment
{
    // The value is removed with its row or set to null.
    Deleted,

    // The row must survive (e.g. a purchase in the accounts) but no longer points to or describes the person.
    Anonymized,

    // Erasing cannot find the value (it is inside a file, e.g. an uploaded spreadsheet); the whole file is deleted
    // when its retention period ends (Payvand:Files:RetentionDays).
    Expires,
}

public sealed record PersonalDataField(string Table, string Column, PersonalDataTreatment OnErase, string Why);

public static class PersonalDataRegistration
{
    public static IServiceCollection AddPersonalData<T>(this IServiceCollection services) where T : class, IPersonalData =>
        services.AddSingleton<IPersonalData, T>();
}
