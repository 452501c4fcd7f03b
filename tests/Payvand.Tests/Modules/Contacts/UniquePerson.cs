using System.Globalization;
using Payvand.Modules.Contacts;

namespace Payvand.Tests.Modules.Contacts;

// A person whose name, mobile, email and national code occur nowhere else in the database, so a test can search
// every table for them and find only what belongs to this person.
public sealed record UniquePerson(string FirstName, string LastName, string Mobile, string MobileE164, string Email, string NationalCode)
{
    public static UniquePerson Create()
    {
        var token = Guid.NewGuid().ToString("N");
        var digits = string.Concat(token.Select(c => (char)('0' + (c % 10))));
        return new UniquePerson(
            "Roya" + token[..6],
            "Zand" + token[6..12],
            "0912" + digits[..7],
            "+98912" + digits[..7],
            $"p{token[..10]}@example.com",
            ValidNationalCode(digits[7..16]));
    }

    public string DisplayName => $"{FirstName} {LastName}";

    // The values that must not survive an erasure, as stored or indexed (case-insensitively).
    public IEnumerable<string> Secrets() => [FirstName, LastName, MobileE164[3..], Email, NationalCode];

    public ContactInput Input(int? branchId = null) => new()
    {
        FirstName = FirstName,
        LastName = LastName,
        NationalCode = NationalCode,
        BirthDate = new DateOnly(1988, 5, 17),
        City = "Tabriz",
        Address = "Street of " + LastName,
        BranchId = branchId,
        Points = [new ContactPointInput(ContactPointKind.Mobile, Mobile), new ContactPointInput(ContactPointKind.Email, Email)],
        Tags = ["tag-" + LastName],
    };

    // The national code check digit: weights 10..2 over the first nine digits, remainder mod 11.
    public static string ValidNationalCode(string nine)
    {
        if (nine.Distinct().Count() == 1) nine = "1" + nine[1..].Replace(nine[0], '2');
        var sum = nine.Select((c, i) => (c - '0') * (10 - i)).Sum();
        var r = sum % 11;
        return nine + (r < 2 ? r : 11 - r).ToString(CultureInfo.InvariantCulture);
    }
}

internal static class ResponseStatus
{
    public static async Task Expect(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {body}");
    }
}
