using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SearchTermSortKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchTerms_Term_Entity_RecordId",
                table: "SearchTerms");

            migrationBuilder.AddColumn<string>(
                name: "SortKey",
                table: "SearchTerms",
                type: "TEXT",
                maxLength: 210,
                nullable: true);

            // Every existing term gets its record's name order (SearchTerm.SortKey), written with the terms from now on.
            migrationBuilder.Sql("""
                UPDATE "SearchTerms" SET "SortKey" = (SELECT c."SortName" FROM "Contacts" AS c WHERE c."Id" = "SearchTerms"."RecordId") WHERE "Entity" = 'contact';
                UPDATE "SearchTerms" SET "SortKey" = (SELECT c."SortName" FROM "Companies" AS c WHERE c."Id" = "SearchTerms"."RecordId") WHERE "Entity" = 'company';
                """);

            // The records saved before this version get the new terms (a mobile's end, an email's domain) from the
            // search-reindex job (SearchReindexJob), queued here once when there are any.
            migrationBuilder.Sql("""
                INSERT INTO "Jobs" ("Kind", "Status", "Done", "Total", "Scope", "CreatedAt", "CancelRequested", "Payload", "Attempts")
                SELECT 'search-reindex', 0, 0, 0, '{"UserId":0,"UserName":"system","Roles":["Admin"],"BranchIds":[]}', strftime('%Y-%m-%d %H:%M:%f', 'now'), 0, '{}', 0
                WHERE EXISTS (SELECT 1 FROM "Contacts") OR EXISTS (SELECT 1 FROM "Companies");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_SearchTerms_Entity_Term_SortKey_RecordId",
                table: "SearchTerms",
                columns: new[] { "Entity", "Term", "SortKey", "RecordId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchTerms_Entity_Term_SortKey_RecordId",
                table: "SearchTerms");

            migrationBuilder.DropColumn(
                name: "SortKey",
                table: "SearchTerms");

            migrationBuilder.CreateIndex(
                name: "IX_SearchTerms_Term_Entity_RecordId",
                table: "SearchTerms",
                columns: new[] { "Term", "Entity", "RecordId" });
        }
    }
}
