using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TimelineEntryData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Data",
                table: "Activities",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            // Purchase and refund entries written before entries had data: their facts, so they read in each reader's
            // language and money unit instead of the prose stored in the language of whoever recorded them.
            migrationBuilder.Sql("""
                UPDATE "Activities" SET "Data" = (
                    SELECT json_object('total', p."Total", 'currency', p."Currency",
                        'lines', (SELECT COUNT(*) FROM "PurchaseLines" l WHERE l."PurchaseId" = p."Id"))
                    FROM "Purchases" p WHERE CAST(p."Id" AS TEXT) = "Activities"."SourceId")
                WHERE "Type" = 'purchase' AND "SourceType" = 'Purchase' AND "Data" IS NULL;
                UPDATE "Activities" SET "Data" = (
                    SELECT json_object('amount', r."Amount", 'currency', p."Currency")
                    FROM "Refunds" r JOIN "Purchases" p ON p."Id" = r."PurchaseId" WHERE CAST(r."Id" AS TEXT) = "Activities"."SourceId")
                WHERE "Type" = 'refund' AND "SourceType" = 'Refund' AND "Data" IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Data",
                table: "Activities");
        }
    }
}
