using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ContactReachFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ContactReach",
                columns: table => new
                {
                    ContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kinds = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenKinds = table.Column<int>(type: "INTEGER", nullable: false),
                    LineBlocks = table.Column<bool>(type: "INTEGER", nullable: false),
                    BestDays = table.Column<int>(type: "INTEGER", nullable: false),
                    BestFrom = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    BestTo = table.Column<TimeOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactReach", x => x.ContactId);
                    table.ForeignKey(
                        name: "FK_ContactReach_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql(Backfill);
            foreach (var (name, on, people) in new[]
            {
                ("PointInserted", "AFTER INSERT ON \"ContactPoints\"", "c.\"Id\" = NEW.\"ContactId\""),
                ("PointDeleted", "AFTER DELETE ON \"ContactPoints\"", "c.\"Id\" = OLD.\"ContactId\""),
                ("PointUpdated", "AFTER UPDATE ON \"ContactPoints\"", "c.\"Id\" IN (OLD.\"ContactId\", NEW.\"ContactId\")"),
                ("BlockInserted", "AFTER INSERT ON \"BlockedAddresses\"", "c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" = NEW.\"Address\")"),
                ("BlockDeleted", "AFTER DELETE ON \"BlockedAddresses\"", "c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" = OLD.\"Address\")"),
                ("BlockUpdated", "AFTER UPDATE ON \"BlockedAddresses\"",
                    "c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" IN (OLD.\"Address\", NEW.\"Address\"))"),
            })
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"ContactReach_{name}\" {on} BEGIN {Refresh(people)}; END;");
            }

            migrationBuilder.Sql("""
                CREATE TRIGGER "ContactReach_Preferences" AFTER UPDATE OF "Preferences_BestDays", "Preferences_BestFrom", "Preferences_BestTo" ON "Contacts"
                BEGIN
                    UPDATE "ContactReach" SET "BestDays" = NEW."Preferences_BestDays", "BestFrom" = NEW."Preferences_BestFrom", "BestTo" = NEW."Preferences_BestTo"
                    WHERE "ContactId" = NEW."Id";
                END;
                """);
        }

        // The facts Reachability reads of each person (docs/adr/0011): kept by the database itself, in the transaction
        // of every change of points, blocklist or best times, whoever makes it (forms, import, merge, erasure, raw SQL).
        // Filled here for the people there are.
        private static string Refresh(string people) => $"""
            INSERT INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo")
            SELECT c."Id",
                COALESCE((SELECT CAST(sum(DISTINCT 1 << p."Kind") AS integer) FROM "ContactPoints" p WHERE p."ContactId" = c."Id"), 0),
                COALESCE((SELECT CAST(sum(DISTINCT 1 << p."Kind") AS integer) FROM "ContactPoints" p WHERE p."ContactId" = c."Id"
                    AND NOT EXISTS (SELECT 1 FROM "BlockedAddresses" b WHERE b."Address" = p."NormalizedValue" AND b."SenderLine" IS NULL)), 0),
                EXISTS (SELECT 1 FROM "ContactPoints" p JOIN "BlockedAddresses" b ON b."Address" = p."NormalizedValue" AND b."SenderLine" IS NOT NULL
                    WHERE p."ContactId" = c."Id"),
                c."Preferences_BestDays", c."Preferences_BestFrom", c."Preferences_BestTo"
            FROM "Contacts" c
            WHERE {people}
            ON CONFLICT ("ContactId") DO UPDATE SET "Kinds" = excluded."Kinds", "OpenKinds" = excluded."OpenKinds", "LineBlocks" = excluded."LineBlocks",
                "BestDays" = excluded."BestDays", "BestFrom" = excluded."BestFrom", "BestTo" = excluded."BestTo"
            """;

        // Everyone with a contact point, in one grouped pass (the per-person form above probes per person). The bench's
        // generator fills its bulk-loaded people with it too.
        public const string Backfill = """
            INSERT INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo")
            SELECT c."Id", f."Kinds", f."OpenKinds", f."LineBlocks", c."Preferences_BestDays", c."Preferences_BestFrom", c."Preferences_BestTo"
            FROM "Contacts" c
            JOIN (
                SELECT p."ContactId",
                    CAST(sum(DISTINCT 1 << p."Kind") AS integer) AS "Kinds",
                    CAST(sum(DISTINCT CASE WHEN g."Address" IS NULL THEN 1 << p."Kind" ELSE 0 END) AS integer) AS "OpenKinds",
                    max(CASE WHEN l."Address" IS NULL THEN 0 ELSE 1 END) = 1 AS "LineBlocks"
                FROM "ContactPoints" p
                LEFT JOIN (SELECT DISTINCT "Address" FROM "BlockedAddresses" WHERE "SenderLine" IS NULL) g ON g."Address" = p."NormalizedValue"
                LEFT JOIN (SELECT DISTINCT "Address" FROM "BlockedAddresses" WHERE "SenderLine" IS NOT NULL) l ON l."Address" = p."NormalizedValue"
                GROUP BY p."ContactId") f ON f."ContactId" = c."Id"
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var name in new[] { "PointInserted", "PointDeleted", "PointUpdated", "BlockInserted", "BlockDeleted", "BlockUpdated", "Preferences" })
            {
                migrationBuilder.Sql($"DROP TRIGGER \"ContactReach_{name}\";");
            }

            migrationBuilder.DropTable(
                name: "ContactReach");
        }
    }
}
