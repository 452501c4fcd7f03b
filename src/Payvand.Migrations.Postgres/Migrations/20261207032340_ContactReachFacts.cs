using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Postgres.Migrations
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
                    ContactId = table.Column<int>(type: "integer", nullable: false),
                    Kinds = table.Column<int>(type: "integer", nullable: false),
                    OpenKinds = table.Column<int>(type: "integer", nullable: false),
                    LineBlocks = table.Column<bool>(type: "boolean", nullable: false),
                    BestDays = table.Column<int>(type: "integer", nullable: false),
                    BestFrom = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    BestTo = table.Column<TimeOnly>(type: "time without time zone", nullable: true)
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

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_Reach",
                table: "Contacts",
                column: "Id",
                filter: "\"DeletedAt\" IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "DeletedAt", "BranchId" });

            migrationBuilder.Sql(Backfill);
            migrationBuilder.Sql($"""
                CREATE FUNCTION "ContactReach_Refresh"(people integer[]) RETURNS void LANGUAGE sql AS $body$
                {Refresh("c.\"Id\" = ANY(people)")};
                $body$;

                -- Statement triggers with transition tables: an import's or a merge's many points are one refresh.
                CREATE FUNCTION "ContactReach_PointsChanged"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM "ContactReach_Refresh"(ARRAY(SELECT DISTINCT "ContactId" FROM new_points));
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM "ContactReach_Refresh"(ARRAY(SELECT DISTINCT "ContactId" FROM old_points));
                    ELSE
                        PERFORM "ContactReach_Refresh"(ARRAY(SELECT "ContactId" FROM new_points UNION SELECT "ContactId" FROM old_points));
                    END IF;
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_PointsInserted" AFTER INSERT ON "ContactPoints" REFERENCING NEW TABLE AS new_points
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_PointsChanged"();
                CREATE TRIGGER "ContactReach_PointsDeleted" AFTER DELETE ON "ContactPoints" REFERENCING OLD TABLE AS old_points
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_PointsChanged"();
                CREATE TRIGGER "ContactReach_PointsUpdated" AFTER UPDATE ON "ContactPoints" REFERENCING OLD TABLE AS old_points NEW TABLE AS new_points
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_PointsChanged"();

                CREATE FUNCTION "ContactReach_BlockChanged"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        PERFORM "ContactReach_Refresh"(ARRAY(SELECT "ContactId" FROM "ContactPoints" WHERE "NormalizedValue" = OLD."Address"));
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        PERFORM "ContactReach_Refresh"(ARRAY(SELECT "ContactId" FROM "ContactPoints" WHERE "NormalizedValue" = NEW."Address"));
                    END IF;
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_Blocks" AFTER INSERT OR DELETE OR UPDATE ON "BlockedAddresses"
                    FOR EACH ROW EXECUTE FUNCTION "ContactReach_BlockChanged"();

                CREATE FUNCTION "ContactReach_PreferencesChanged"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    UPDATE "ContactReach" SET "BestDays" = NEW."Preferences_BestDays", "BestFrom" = NEW."Preferences_BestFrom", "BestTo" = NEW."Preferences_BestTo"
                    WHERE "ContactId" = NEW."Id";
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_Preferences" AFTER UPDATE OF "Preferences_BestDays", "Preferences_BestFrom", "Preferences_BestTo" ON "Contacts"
                    FOR EACH ROW WHEN (OLD."Preferences_BestDays" IS DISTINCT FROM NEW."Preferences_BestDays"
                        OR OLD."Preferences_BestFrom" IS DISTINCT FROM NEW."Preferences_BestFrom" OR OLD."Preferences_BestTo" IS DISTINCT FROM NEW."Preferences_BestTo")
                    EXECUTE FUNCTION "ContactReach_PreferencesChanged"();
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
            migrationBuilder.Sql("""
                DROP TRIGGER "ContactReach_PointsInserted" ON "ContactPoints";
                DROP TRIGGER "ContactReach_PointsDeleted" ON "ContactPoints";
                DROP TRIGGER "ContactReach_PointsUpdated" ON "ContactPoints";
                DROP TRIGGER "ContactReach_Blocks" ON "BlockedAddresses";
                DROP TRIGGER "ContactReach_Preferences" ON "Contacts";
                DROP FUNCTION "ContactReach_PointsChanged"();
                DROP FUNCTION "ContactReach_BlockChanged"();
                DROP FUNCTION "ContactReach_PreferencesChanged"();
                DROP FUNCTION "ContactReach_Refresh"(integer[]);
                """);

            migrationBuilder.DropTable(
                name: "ContactReach");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_Reach",
                table: "Contacts");
        }
    }
}
