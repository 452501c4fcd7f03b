using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EmailChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Clicks",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "EmailChannelId",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstClickedAt",
                table: "Messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstOpenedAt",
                table: "Messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "Messages",
                type: "TEXT",
                maxLength: 100000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Opens",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "Messages",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrackClicks",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrackOpens",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailChannels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Tls = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ProtectedPassword = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    FromAddress = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FromName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReplyTo = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    RatePerSecond = table.Column<int>(type: "INTEGER", nullable: false),
                    TrackClicks = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackOpens = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProtectedWebhookSecret = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailChannels", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_EmailChannelId",
                table: "Messages",
                column: "EmailChannelId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailChannels_Key",
                table: "EmailChannels",
                column: "Key",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Messages_EmailChannels_EmailChannelId",
                table: "Messages",
                column: "EmailChannelId",
                principalTable: "EmailChannels",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Messages_EmailChannels_EmailChannelId",
                table: "Messages");

            migrationBuilder.DropTable(
                name: "EmailChannels");

            migrationBuilder.DropIndex(
                name: "IX_Messages_EmailChannelId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Clicks",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "EmailChannelId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "FirstClickedAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "FirstOpenedAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "HtmlBody",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Opens",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Subject",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "TrackClicks",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "TrackOpens",
                table: "Messages");
        }
    }
}
