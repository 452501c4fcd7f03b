using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Payvand.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EmailChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "Messages",
                type: "character varying(100200)",
                maxLength: 100200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(1200)",
                oldMaxLength: 1200);

            migrationBuilder.AddColumn<int>(
                name: "Clicks",
                table: "Messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "EmailChannelId",
                table: "Messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstClickedAt",
                table: "Messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstOpenedAt",
                table: "Messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "Messages",
                type: "character varying(100000)",
                maxLength: 100000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Opens",
                table: "Messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "Messages",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrackClicks",
                table: "Messages",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrackOpens",
                table: "Messages",
                type: "boolean",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailChannels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Tls = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UserName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ProtectedPassword = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    FromAddress = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    FromName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ReplyTo = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    RatePerSecond = table.Column<int>(type: "integer", nullable: false),
                    TrackClicks = table.Column<bool>(type: "boolean", nullable: false),
                    TrackOpens = table.Column<bool>(type: "boolean", nullable: false),
                    ProtectedWebhookSecret = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "Messages",
                type: "character varying(1200)",
                maxLength: 1200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(100200)",
                oldMaxLength: 100200);
        }
    }
}
