using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NameFilterIndexes : Migration
    {
        // The keys of the people already stored, folded in SQL as PersianText.NormalizeKey folds what people type (Arabic
        // letter forms, half-spaces and spaces, diacritics, digits in any script, Latin case); a person saved later gets
        // them from Contact.Touch. Kept here, not called from the app, so this migration stays what it was.
        private static readonly (string From, string To)[] Folds =
        [
            .. new[] { "\u064A", "\u0649", "\u06D0" }.Select(c => (c, "\u06CC")),
            .. new[] { "\u0643", "\u06AA" }.Select(c => (c, "\u06A9")),
            .. new[] { "\u0629", "\u06C0", "\u06C1", "\u06C2", "\u06D5", "\u06BE" }.Select(c => (c, "\u0647")),
            .. new[] { "\u0623", "\u0625", "\u0671", "\u0672", "\u0673" }.Select(c => (c, "\u0627")),
            ("\u0624", "\u0648"),
            .. Enumerable.Range(0, 10).Select(d => (((char)('\u06F0' + d)).ToString(), ((char)('0' + d)).ToString())),
            .. Enumerable.Range(0, 10).Select(d => (((char)('\u0660' + d)).ToString(), ((char)('0' + d)).ToString())),
            .. new[] { " ", "\t", "\u00A0", "\u200C", "\u200D", "\u200B", "\u2060", "\uFEFF", "\u200E", "\u200F", "\u0640", "\u0670" }.Select(c => (c, "")),
            .. Enumerable.Range(0x064B, 0x0660 - 0x064B).Select(c => (((char)c).ToString(), "")),
        ];

        private static string Key(string column)
        {
            var sql = $"lower({column})";
            foreach (var (from, to) in Folds) sql = $"replace({sql}, '{from}', '{to}')";
            return $"NULLIF(substr({sql}, 1, 100), '')";
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FirstNameKey",
                table: "Contacts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastNameKey",
                table: "Contacts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.Sql($"UPDATE \"Contacts\" SET \"FirstNameKey\" = {Key("\"FirstName\"")}, \"LastNameKey\" = {Key("\"LastName\"")}");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_FirstNameKey_SortName_Id",
                table: "Contacts",
                columns: new[] { "FirstNameKey", "SortName", "Id" },
                filter: "\"DeletedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_LastNameKey_SortName_Id",
                table: "Contacts",
                columns: new[] { "LastNameKey", "SortName", "Id" },
                filter: "\"DeletedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_FirstNameKey_SortName_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_LastNameKey_SortName_Id",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "FirstNameKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "LastNameKey",
                table: "Contacts");
        }
    }
}
