using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConsentPerChannelAndPurpose : Migration
    {
        // The consent columns of the first release, the channel key each becomes and the ConsentChannel number it had.
        private static readonly (string Column, string Channel, int Number)[] OldColumns =
            [("SmsConsent", "sms", 0), ("EmailConsent", "email", 1), ("CallConsent", "call", 2), ("FaxConsent", "fax", 3)];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BlockedAddresses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SenderLine = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    BlockedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlockedAddresses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Channels",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Kinds = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Channels", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "PromotionalContacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionalContacts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PromotionalContacts_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ContactConsents",
                columns: table => new
                {
                    ContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactConsents", x => new { x.ContactId, x.Channel, x.Purpose });
                    table.ForeignKey(
                        name: "FK_ContactConsents_Channels_Channel",
                        column: x => x.Channel,
                        principalTable: "Channels",
                        principalColumn: "Key",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ContactConsents_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "Channels",
                columns: new[] { "Key", "Kinds", "Name", "SortOrder" },
                values: new object[,]
                {
                    { "call", "Mobile,Phone", "Call", 3 },
                    { "email", "Email", "Email", 2 },
                    { "fax", "Fax", "Fax", 4 },
                    { "sms", "Mobile", "SMS", 1 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_BlockedAddresses_Address_SenderLine",
                table: "BlockedAddresses",
                columns: new[] { "Address", "SenderLine" });

            migrationBuilder.CreateIndex(
                name: "IX_ContactConsents_Channel_Purpose_Status_ContactId",
                table: "ContactConsents",
                columns: new[] { "Channel", "Purpose", "Status", "ContactId" });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionalContacts_ContactId_Channel_SentAt",
                table: "PromotionalContacts",
                columns: new[] { "ContactId", "Channel", "SentAt" });

            migrationBuilder.AddColumn<int>(
                name: "Purpose",
                table: "ConsentRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // ContactPurpose.Promotional: the only consent there was

            // The old columns were marketing consent: each decided one becomes a promotional row, dated and sourced by the
            // latest history entry of its channel (ConsentRecords.Channel is still the old number here), else by the
            // person's last change. Plain SQL that SQLite and PostgreSQL both run.
            foreach (var (column, channel, number) in OldColumns)
            {
                migrationBuilder.Sql($"""
                    INSERT INTO "ContactConsents" ("ContactId", "Channel", "Purpose", "Status", "ChangedAt", "Source")
                    SELECT c."Id", '{channel}', 1, c."{column}",
                           COALESCE((SELECT MAX(r."RecordedAt") FROM "ConsentRecords" r WHERE r."ContactId" = c."Id" AND r."Channel" = {number}), c."UpdatedAt"),
                           COALESCE((SELECT r."Source" FROM "ConsentRecords" r WHERE r."ContactId" = c."Id" AND r."Channel" = {number}
                                     ORDER BY r."RecordedAt" DESC, r."Id" DESC LIMIT 1), 'migrated')
                    FROM "Contacts" c WHERE c."{column}" <> 0
                    """);
            }

            migrationBuilder.DropColumn(
                name: "CallConsent",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "EmailConsent",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "FaxConsent",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "SmsConsent",
                table: "Contacts");

            migrationBuilder.AlterColumn<string>(
                name: "Channel",
                table: "ConsentRecords",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            // History rows name their channel by key now. Compared with the text '0', which matches the number 0 before
            // SQLite rebuilds the table and the text after PostgreSQL's ALTER COLUMN.
            foreach (var (_, channel, number) in OldColumns)
            {
                migrationBuilder.Sql($"""UPDATE "ConsentRecords" SET "Channel" = '{channel}' WHERE "Channel" = '{number}'""");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BlockedAddresses");

            migrationBuilder.DropTable(
                name: "ContactConsents");

            migrationBuilder.DropTable(
                name: "PromotionalContacts");

            migrationBuilder.DropTable(
                name: "Channels");

            migrationBuilder.DropColumn(
                name: "Purpose",
                table: "ConsentRecords");

            migrationBuilder.AddColumn<int>(
                name: "CallConsent",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "EmailConsent",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "FaxConsent",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SmsConsent",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<int>(
                name: "Channel",
                table: "ConsentRecords",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 20);
        }
    }
}
