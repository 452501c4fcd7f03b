using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EmailBounceMailbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "BounceCheckedAt",
                table: "EmailChannels",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BounceError",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BounceFolder",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 255,
                nullable: false,
                defaultValue: "INBOX");

            migrationBuilder.AddColumn<string>(
                name: "BounceHost",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BouncePort",
                table: "EmailChannels",
                type: "INTEGER",
                nullable: false,
                defaultValue: 993);

            migrationBuilder.AddColumn<string>(
                name: "BounceTls",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "Auto");

            migrationBuilder.AddColumn<string>(
                name: "BounceUserName",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedBouncePassword",
                table: "EmailChannels",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BounceCheckedAt",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BounceError",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BounceFolder",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BounceHost",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BouncePort",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BounceTls",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "BounceUserName",
                table: "EmailChannels");

            migrationBuilder.DropColumn(
                name: "ProtectedBouncePassword",
                table: "EmailChannels");
        }
    }
}
