using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Postgres.Migrations
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
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            // Purchase and refund entries written before entries had data: their facts, so they read in each reader's
            // language and money unit instead of the prose stored in the language of whoever recorded them.
            migrationBuilder.Sql("""
                UPDATE "Activities" a SET "Data" = json_build_object('total', p."Total", 'currency', p."Currency",
                        'lines', (SELECT COUNT(*) FROM "PurchaseLines" l WHERE l."PurchaseId" = p."Id"))::text
                FROM "Purchases" p
                WHERE a."Type" = 'purchase' AND a."SourceType" = 'Purchase' AND a."Data" IS NULL AND a."SourceId" = p."Id"::text;
                UPDATE "Activities" a SET "Data" = json_build_object('amount', r."Amount", 'currency', p."Currency")::text
                FROM "Refunds" r JOIN "Purchases" p ON p."Id" = r."PurchaseId"
                WHERE a."Type" = 'refund' AND a."SourceType" = 'Refund' AND a."Data" IS NULL AND a."SourceId" = r."Id"::text;
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
