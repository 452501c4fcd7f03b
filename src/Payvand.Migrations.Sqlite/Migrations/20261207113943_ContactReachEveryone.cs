using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ConsentIn",
                table: "ContactReach",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ConsentOut",
                table: "ContactReach",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "Deleted",
                table: "ContactReach",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Bit",
                table: "Channels",
                type: "INTEGER",
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

            // Every person gets a row (people without contact points too), with their deletion, branch and consent; the
            // triggers of ContactReachFacts are written again with them.
            migrationBuilder.Sql(Backfill);
            foreach (var name in OldTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"ContactReach_{name}\";");
            }

            foreach (var (name, on, body) in Triggers(everyone: true))
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"ContactReach_{name}\" {on} BEGIN {body}; END;");
            }
        }

        private static readonly string[] OldTriggers = ["PointInserted", "PointDeleted", "PointUpdated", "BlockInserted", "BlockDeleted", "BlockUpdated", "Preferences"];

        private static readonly string[] NewTriggers =
            ["PointInserted", "PointDeleted", "PointUpdated", "BlockInserted", "BlockDeleted", "BlockUpdated", "ContactInserted", "Contact", "ConsentInserted", "ConsentDeleted", "ConsentUpdated"];

        // The triggers keeping ContactReach (docs/adr/0011): ContactReachFacts' (everyone: false) and this migration's, which
        // add every person's row, their deletion, branch and consent masks.
        private static (string Name, string On, string Body)[] Triggers(bool everyone)
        {
            var points = new[]
            {
                ("PointInserted", "AFTER INSERT ON \"ContactPoints\"", Refresh("c.\"Id\" = NEW.\"ContactId\"", everyone)),
                ("PointDeleted", "AFTER DELETE ON \"ContactPoints\"", Refresh("c.\"Id\" = OLD.\"ContactId\"", everyone)),
                ("PointUpdated", "AFTER UPDATE ON \"ContactPoints\"", Refresh("c.\"Id\" IN (OLD.\"ContactId\", NEW.\"ContactId\")", everyone)),
                ("BlockInserted", "AFTER INSERT ON \"BlockedAddresses\"",
                    Refresh("c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" = NEW.\"Address\")", everyone)),
                ("BlockDeleted", "AFTER DELETE ON \"BlockedAddresses\"",
                    Refresh("c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" = OLD.\"Address\")", everyone)),
                ("BlockUpdated", "AFTER UPDATE ON \"BlockedAddresses\"",
                    Refresh("c.\"Id\" IN (SELECT \"ContactId\" FROM \"ContactPoints\" WHERE \"NormalizedValue\" IN (OLD.\"Address\", NEW.\"Address\"))", everyone)),
            };
            if (!everyone)
            {
                return [.. points, ("Preferences", "AFTER UPDATE OF \"Preferences_BestDays\", \"Preferences_BestFrom\", \"Preferences_BestTo\" ON \"Contacts\"", """
                    UPDATE "ContactReach" SET "BestDays" = NEW."Preferences_BestDays", "BestFrom" = NEW."Preferences_BestFrom", "BestTo" = NEW."Preferences_BestTo"
                    WHERE "ContactId" = NEW."Id"
                    """)];
            }

            return
            [
                .. points,
                // A new person's row, before any of their points or consent exist (both refer to the person).
                ("ContactInserted", "AFTER INSERT ON \"Contacts\"", """
                    INSERT OR IGNORE INTO "ContactReach" ("ContactId", "Kinds", "OpenKinds", "LineBlocks", "BestDays", "BestFrom", "BestTo", "Deleted", "BranchId", "ConsentIn", "ConsentOut")
                    VALUES (NEW."Id", 0, 0, 0, NEW."Preferences_BestDays", NEW."Preferences_BestFrom", NEW."Preferences_BestTo", NEW."DeletedAt" IS NOT NULL, NEW."BranchId", 0, 0)
                    """),
                ("Contact", "AFTER UPDATE OF \"Preferences_BestDays\", \"Preferences_BestFrom\", \"Preferences_BestTo\", \"DeletedAt\", \"BranchId\" ON \"Contacts\"", """
                    UPDATE "ContactReach" SET "BestDays" = NEW."Preferences_BestDays", "BestFrom" = NEW."Preferences_BestFrom", "BestTo" = NEW."Preferences_BestTo",
                        "Deleted" = NEW."DeletedAt" IS NOT NULL, "BranchId" = NEW."BranchId"
                    WHERE "ContactId" = NEW."Id"
                    """),
                ("ConsentInserted", "AFTER INSERT ON \"ContactConsents\"", ConsentRefresh("NEW.\"ContactId\"")),
                ("ConsentDeleted", "AFTER DELETE ON \"ContactConsents\"", ConsentRefresh("OLD.\"ContactId\"")),
                ("ConsentUpdated", "AFTER UPDATE ON \"ContactConsents\"", ConsentRefresh("OLD.\"ContactId\", NEW.\"ContactId\"")),
            ];
        }

        private static string ConsentRefresh(string people) => $"""
            UPDATE "ContactReach" SET "ConsentIn" = {Mask("\"ContactReach\".\"ContactId\"", 1)}, "ConsentOut" = {Mask("\"ContactReach\".\"ContactId\"", 2)}
            WHERE "ContactId" IN ({people})
            """;

        // The consent mask of one person (the id expression) for one status (1 opted in, 2 opted out): the bit
        // Channels.Bit * 2 + Purpose of each such consent.
        private static string Mask(string id, int status) => $"""
            COALESCE((SELECT sum(1 << (ch."Bit" * 2 + k."Purpose")) FROM "ContactConsents" k
                JOIN "Channels" ch ON ch."Key" = k."Channel" WHERE k."ContactId" = {id} AND k."Status" = {status}), 0)
            """;

        // The facts Reachability reads of each person, recomputed for some people: ContactReachFacts' shape, and from this
        // migration on (everyone) the person's deletion, branch and consent masks too.
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
            SELECT c."Id", COALESCE(f."Kinds", 0), COALESCE(f."OpenKinds", 0), COALESCE(f."LineBlocks", 0),
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
                    sum(CASE WHEN k."Status" = 1 THEN 1 << (ch."Bit" * 2 + k."Purpose") ELSE 0 END) AS "In",
                    sum(CASE WHEN k."Status" = 2 THEN 1 << (ch."Bit" * 2 + k."Purpose") ELSE 0 END) AS "Out"
                FROM "ContactConsents" k JOIN "Channels" ch ON ch."Key" = k."Channel"
                GROUP BY k."ContactId") k ON k."ContactId" = c."Id"
            WHERE true
            ON CONFLICT ("ContactId") DO UPDATE SET "Kinds" = excluded."Kinds", "OpenKinds" = excluded."OpenKinds", "LineBlocks" = excluded."LineBlocks",
                "BestDays" = excluded."BestDays", "BestFrom" = excluded."BestFrom", "BestTo" = excluded."BestTo", "Deleted" = excluded."Deleted",
                "BranchId" = excluded."BranchId", "ConsentIn" = excluded."ConsentIn", "ConsentOut" = excluded."ConsentOut"
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var name in NewTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"ContactReach_{name}\";");
            }

            foreach (var (name, on, body) in Triggers(everyone: false))
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"ContactReach_{name}\" {on} BEGIN {body}; END;");
            }

            migrationBuilder.Sql("""DELETE FROM "ContactReach" WHERE NOT EXISTS (SELECT 1 FROM "ContactPoints" p WHERE p."ContactId" = "ContactReach"."ContactId");""");

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
