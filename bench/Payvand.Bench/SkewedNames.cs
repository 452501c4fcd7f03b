namespace Payvand.Bench;

// `generate --names skewed`: the names of issue 11's search at scale, where words and numbers are very common.
// Every person is "<First> <Surname>-<n>": 20 first names (50,000 people each), 50 surnames (20,000 each) and a number
// 0-999 after the surname, so "Smith-0" is 20 people, the number "0" a thousand and every one-digit prefix of a number
// over a hundred thousand. First names and surnames follow the id (index mod 20 and mod 50), so some pairs of common
// words never meet ("John Jones": 0 people) and others always do ("John Smith": 10,000). The random stream is the one
// of the Persian names, so every other column is as in the default data.
public static class SkewedNames
{
    public static readonly string[] FirstNames =
        ["John", "Mary", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "William", "Elizabeth",
         "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen"];

    public static readonly string[] Surnames =
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
         "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
         "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
         "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
         "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts"];

    // The first and last name of person `id` (from 1).
    public static (string First, string Last) For(int id)
    {
        var i = id - 1;
        return (FirstNames[i % FirstNames.Length], $"{Surnames[i % Surnames.Length]}-{i / Surnames.Length % 1000}");
    }
}
