using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ContactReachEveryone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BranchId",
                table: "ContactReach",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ConsentIn",
                table: "ContactReach",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ConsentOut",
                table: "ContactReach",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "Deleted",
                table: "ContactReach",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Bit",
                table: "Channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.UpdateData(
                table: "Channels",
                keyColumn: "Key",
                keyValue: "call",
                column: "Bit",
                value: 2);

            migrationBuilder.UpdateData(
                table: "Channels",
                keyColumn: "Key",
                keyValue: "email",
                column: "Bit",
                value: 1);

            migrationBuilder.UpdateData(
                table: "Channels",
                keyColumn: "Key",
                keyValue: "fax",
                column: "Bit",
                value: 3);

            migrationBuilder.UpdateData(
                table: "Channels",
                keyColumn: "Key",
                keyValue: "sms",
                column: "Bit",
                value: 0);

            // Channels added as data (not seeded) take the next free bits.
            migrationBuilder.Sql("""
                UPDATE "Channels" AS c SET "Bit" = 3 + n.rn
                FROM (SELECT "Key", row_number() OVER (ORDER BY "SortOrder", "Key") AS rn FROM "Channels" WHERE "Key" NOT IN ('sms', 'email', 'call', 'fax')) AS n
                WHERE c."Key" = n."Key";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Channels_Bit",
                table: "Channels",
                column: "Bit",
                unique: true);

            // Every person gets a row (people without contact points too), with their deletion, branch and consent.
            migrationBuilder.Sql(Backfill);
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION "ContactReach_Refresh"(people integer[]) RETURNS void LANGUAGE sql AS $body$
                {Refresh("c.\"Id\" = ANY(people)", everyone: true)};
                $body$;

                -- A new person's row, before any of their points or consent exist (both refer to the person).
                CREATE FUNCTION "ContactReach_ContactsInserted"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    INSERT INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo", "Deleted", "BranchId", "ConsentIn", "ConsentOut")
                    SELECT n."Id", 0, 0, false, n."Preferences_BestDays", n."Preferences_BestFrom", n."Preferences_BestTo", n."DeletedAt" IS NOT NULL, n."BranchId", 0, 0
                    FROM new_contacts n
                    ON CONFLICT ("ContactId") DO NOTHING;
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_ContactsInserted" AFTER INSERT ON "Contacts" REFERENCING NEW TABLE AS new_contacts
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_ContactsInserted"();

                DROP TRIGGER "ContactReach_Preferences" ON "Contacts";
                DROP FUNCTION "ContactReach_PreferencesChanged"();
                CREATE FUNCTION "ContactReach_ContactChanged"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    UPDATE "ContactReach" SET "BestDays" = NEW."Preferences_BestDays", "BestFrom" = NEW."Preferences_BestFrom", "BestTo" = NEW."Preferences_BestTo",
                        "Deleted" = NEW."DeletedAt" IS NOT NULL, "BranchId" = NEW."BranchId"
                    WHERE "ContactId" = NEW."Id";
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_Contact" AFTER UPDATE OF "Preferences_BestDays", "Preferences_BestFrom", "Preferences_BestTo", "DeletedAt", "BranchId" ON "Contacts"
                    FOR EACH ROW WHEN (OLD."Preferences_BestDays" IS DISTINCT FROM NEW."Preferences_BestDays"
                        OR OLD."Preferences_BestFrom" IS DISTINCT FROM NEW."Preferences_BestFrom" OR OLD."Preferences_BestTo" IS DISTINCT FROM NEW."Preferences_BestTo"
                        OR (OLD."DeletedAt" IS NULL) <> (NEW."DeletedAt" IS NULL) OR OLD."BranchId" <> NEW."BranchId")
                    EXECUTE FUNCTION "ContactReach_ContactChanged"();

                CREATE FUNCTION "ContactReach_ConsentRefresh"(people integer[]) RETURNS void LANGUAGE sql AS $body$
                UPDATE "ContactReach" AS r SET "ConsentIn" = {Mask("r.\"ContactId\"", 1)}, "ConsentOut" = {Mask("r.\"ContactId\"", 2)}
                WHERE r."ContactId" = ANY(people);
                $body$;
                CREATE FUNCTION "ContactReach_ConsentChanged"() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM "ContactReach_ConsentRefresh"(ARRAY(SELECT DISTINCT "ContactId" FROM new_consent));
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM "ContactReach_ConsentRefresh"(ARRAY(SELECT DISTINCT "ContactId" FROM old_consent));
                    ELSE
                        PERFORM "ContactReach_ConsentRefresh"(ARRAY(SELECT "ContactId" FROM new_consent UNION SELECT "ContactId" FROM old_consent));
                    END IF;
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER "ContactReach_ConsentInserted" AFTER INSERT ON "ContactConsents" REFERENCING NEW TABLE AS new_consent
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_ConsentChanged"();
                CREATE TRIGGER "ContactReach_ConsentDeleted" AFTER DELETE ON "ContactConsents" REFERENCING OLD TABLE AS old_consent
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_ConsentChanged"();
                CREATE TRIGGER "ContactReach_ConsentUpdated" AFTER UPDATE ON "ContactConsents" REFERENCING OLD TABLE AS old_consent NEW TABLE AS new_consent
                    FOR EACH STATEMENT EXECUTE FUNCTION "ContactReach_ConsentChanged"();
                """);
        }

        // The consent mask of one person (the id expression) for one status (1 opted in, 2 opted out): the bit
        // Channels.Bit * 2 + Purpose of each such consent.
        private static string Mask(string id, int status) => $"""
            COALESCE((SELECT CAST(sum(1::bigint << (ch."Bit" * 2 + k."Purpose")) AS bigint) FROM "ContactConsents" k
                JOIN "Channels" ch ON ch."Key" = k."Channel" WHERE k."ContactId" = {id} AND k."Status" = {status}), 0)
            """;

        // The facts Reachability reads of each person (docs/adr/0011), recomputed for some people: ContactReachFacts' shape,
        // and from this migration on (everyone) the person's deletion, branch and consent masks too.
        private static string Refresh(string people, bool everyone) => $"""
            INSERT INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo"{(everyone ? ", \"Deleted\", \"BranchId\", \"ConsentIn\", \"ConsentOut\"" : "")})
            SELECT c."Id",
                COALESCE((SELECT CAST(sum(DISTINCT 1 << p."Kind") AS integer) FROM "ContactPoints" p WHERE p."ContactId" = c."Id"), 0),
                COALESCE((SELECT CAST(sum(DISTINCT 1 << p."Kind") AS integer) FROM "ContactPoints" p WHERE p."ContactId" = c."Id"
                    AND NOT EXISTS (SELECT 1 FROM "BlockedAddresses" b WHERE b."Address" = p."NormalizedValue" AND b."SenderLine" IS NULL)), 0),
                EXISTS (SELECT 1 FROM "ContactPoints" p JOIN "BlockedAddresses" b ON b."Address" = p."NormalizedValue" AND b."SenderLine" IS NOT NULL
                    WHERE p."ContactId" = c."Id"),
                c."Preferences_BestDays", c."Preferences_BestFrom", c."Preferences_BestTo"{(everyone ? $", c.\"DeletedAt\" IS NOT NULL, c.\"BranchId\", {Mask("c.\"Id\"", 1)}, {Mask("c.\"Id\"", 2)}" : "")}
            FROM "Contacts" c
            WHERE {people}
            ON CONFLICT ("ContactId") DO UPDATE SET "Kinds" = excluded."Kinds", "OpenKinds" = excluded."OpenKinds", "LineBlocks" = excluded."LineBlocks",
                "BestDays" = excluded."BestDays", "BestFrom" = excluded."BestFrom", "BestTo" = excluded."BestTo"{(everyone ? ", \"Deleted\" = excluded.\"Deleted\", \"BranchId\" = excluded.\"BranchId\", \"ConsentIn\" = excluded.\"ConsentIn\", \"ConsentOut\" = excluded.\"ConsentOut\"" : "")}
            """;

        // Every person's row, in one grouped pass over points and consent (the per-person form above probes per person).
        // The bench's generator fills its bulk-loaded people with it too.
        public const string Backfill = """
            INSERT INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo", "Deleted", "BranchId", "ConsentIn", "ConsentOut")
            SELECT c."Id", COALESCE(f."Kinds", 0), COALESCE(f."OpenKinds", 0), COALESCE(f."LineBlocks", false),
                c."Preferences_BestDays", c."Preferences_BestFrom", c."Preferences_BestTo", c."DeletedAt" IS NOT NULL, c."BranchId",
                COALESCE(k."In", 0), COALESCE(k."Out", 0)
            FROM "Contacts" c
            LEFT JOIN (
                SELECT p."ContactId",
                    CAST(sum(DISTINCT 1 << p."Kind") AS integer) AS "Kinds",
                    CAST(sum(DISTINCT CASE WHEN g."Address" IS NULL THEN 1 << p."Kind" ELSE 0 END) AS integer) AS "OpenKinds",
                    max(CASE WHEN l."Address" IS NULL THEN 0 ELSE 1 END) = 1 AS "LineBlocks"
                FROM "ContactPoints" p
                LEFT JOIN (SELECT DISTINCT "Address" FROM "BlockedAddresses" WHERE "SenderLine" IS NULL) g ON g."Address" = p."NormalizedValue"
                LEFT JOIN (SELECT DISTINCT "Address" FROM "BlockedAddresses" WHERE "SenderLine" IS NOT NULL) l ON l."Address" = p."NormalizedValue"
                GROUP BY p."ContactId") f ON f."ContactId" = c."Id"
            LEFT JOIN (
                SELECT k."ContactId",
                    CAST(sum(CASE WHEN k."Status" = 1 THEN 1::bigint << (ch."Bit" * 2 + k."Purpose") ELSE 0 END) AS bigint) AS "In",
                    CAST(sum(CASE WHEN k."Status" = 2 THEN 1::bigint << (ch."Bit" * 2 + k."Purpose") ELSE 0 END) AS bigint) AS "Out"
                FROM "ContactConsents" k JOIN "Channels" ch ON ch."Key" = k."Channel"
                GROUP BY k."ContactId") k ON k."ContactId" = c."Id"
            ON CONFLICT ("ContactId") DO UPDATE SET "Kinds" = excluded."Kinds", "OpenKinds" = excluded."OpenKinds", "LineBlocks" = excluded."LineBlocks",
                "BestDays" = excluded."BestDays", "BestFrom" = excluded."BestFrom", "BestTo" = excluded."BestTo", "Deleted" = excluded."Deleted",
                "BranchId" = excluded."BranchId", "ConsentIn" = excluded."ConsentIn", "ConsentOut" = excluded."ConsentOut"
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER "ContactReach_ConsentInserted" ON "ContactConsents";
                DROP TRIGGER "ContactReach_ConsentDeleted" ON "ContactConsents";
                DROP TRIGGER "ContactReach_ConsentUpdated" ON "ContactConsents";
                DROP FUNCTION "ContactReach_ConsentChanged"();
                DROP FUNCTION "ContactReach_ConsentRefresh"(integer[]);
                DROP TRIGGER "ContactReach_ContactsInserted" ON "Contacts";
                DROP FUNCTION "ContactReach_ContactsInserted"();
                DROP TRIGGER "ContactReach_Contact" ON "Contacts";
                DROP FUNCTION "ContactReach_ContactChanged"();
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
                CREATE OR REPLACE FUNCTION "ContactReach_Refresh"(people integer[]) RETURNS void LANGUAGE sql AS $body$
                {Refresh("c.\"Id\" = ANY(people)", everyone: false)};
                $body$;
                DELETE FROM "ContactReach" r WHERE NOT EXISTS (SELECT 1 FROM "ContactPoints" p WHERE p."ContactId" = r."ContactId");
                """);

            migrationBuilder.DropIndex(
                name: "IX_Channels_Bit",
                table: "Channels");

            migrationBuilder.DropColumn(
                name: "BranchId",
                table: "ContactReach");

            migrationBuilder.DropColumn(
                name: "ConsentIn",
                table: "ContactReach");

            migrationBuilder.DropColumn(
                name: "ConsentOut",
                table: "ContactReach");

            migrationBuilder.DropColumn(
                name: "Deleted",
                table: "ContactReach");

            migrationBuilder.DropColumn(
                name: "Bit",
                table: "Channels");
        }
    }
}
