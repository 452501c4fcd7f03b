namespace Payvand.Platform.Data;

// Control characters are removed from every text Payvand stores, on both databases alike. PostgreSQL cannot store
// NUL (\u0000) at all (22021) while SQLite keeps it silently, and the other C0 characters are invisible in every
// screen and spreadsheet: refusing them would fail an import or a form over a character nobody can see or fix, so
// they are dropped instead. Tab, line feed and carriage return are text (a note's lines) and stay.
public static class StoredText
{
    public static bool NeedsCleaning(string value)
    {
        foreach (var c in value)
        {
            if (IsDropped(c)) return true;
        }

        return false;
    }

    public static string Clean(string value)
    {
        if (!NeedsCleaning(value)) return value;
        return string.Create(value.Length - Count(value), value, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (!IsDropped(c)) span[i++] = c;
            }
        });
    }

    public static string? CleanOrNull(string? value) => value is null ? null : Clean(value);

    // A column value as it is stored: text cleaned, anything else as it is.
    public static object? CleanValue(object? value) => value is string s ? Clean(s) : value;

    // Cleans the text properties of the new and changed rows of a save (SaveChanges' way in; BulkInsert cleans its own).
    public static void Clean(IEnumerable<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.State is not (Microsoft.EntityFrameworkCore.EntityState.Added or Microsoft.EntityFrameworkCore.EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string text && NeedsCleaning(text)) property.CurrentValue = Clean(text);
            }
        }
    }

    // C0 controls except tab, LF and CR, and DEL. Unpaired surrogates are left to the serializers, which replace them.
    private static bool IsDropped(char c) => (c < ' ' && c is not ('\t' or '\n' or '\r')) || c == '\u007f';

    private static int Count(string value)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (IsDropped(c)) n++;
        }

        return n;
    }
}
