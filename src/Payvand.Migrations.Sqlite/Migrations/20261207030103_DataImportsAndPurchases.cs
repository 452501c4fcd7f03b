using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DataImportsAndPurchases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Warnings",
                table: "Imports",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            // A purchase of a person belongs to the person's branch (it took the recorder's, so the person's branch
            // saw the summary but not the purchase).
            migrationBuilder.Sql("""
                UPDATE "Purchases" SET "BranchId" = (SELECT c."BranchId" FROM "Contacts" AS c WHERE c."Id" = "Purchases"."ContactId")
                WHERE "ContactId" IS NOT NULL
                  AND "BranchId" <> (SELECT c."BranchId" FROM "Contacts" AS c WHERE c."Id" = "Purchases"."ContactId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Warnings",
                table: "Imports");
        }
    }
}
