using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payvand.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecordsLinksViewsFollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_CreatedById",
                table: "Activities");

            migrationBuilder.AddColumn<string>(
                name: "Columns",
                table: "SavedViews",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FollowUpDoneAt",
                table: "Activities",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FollowUpDoneById",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "NotDuplicates",
                columns: table => new
                {
                    LowId = table.Column<int>(type: "INTEGER", nullable: false),
                    HighId = table.Column<int>(type: "INTEGER", nullable: false),
                    MarkedById = table.Column<int>(type: "INTEGER", nullable: true),
                    MarkedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotDuplicates", x => new { x.LowId, x.HighId });
                    table.ForeignKey(
                        name: "FK_NotDuplicates_AspNetUsers_MarkedById",
                        column: x => x.MarkedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_NotDuplicates_Contacts_HighId",
                        column: x => x.HighId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_NotDuplicates_Contacts_LowId",
                        column: x => x.LowId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CreatedById_FollowUpAt",
                table: "Activities",
                columns: new[] { "CreatedById", "FollowUpAt" },
                filter: "\"FollowUpAt\" IS NOT NULL AND \"FollowUpDoneAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_FollowUpDoneById",
                table: "Activities",
                column: "FollowUpDoneById");

            migrationBuilder.CreateIndex(
                name: "IX_NotDuplicates_HighId",
                table: "NotDuplicates",
                column: "HighId");

            migrationBuilder.CreateIndex(
                name: "IX_NotDuplicates_MarkedById",
                table: "NotDuplicates",
                column: "MarkedById");

            migrationBuilder.AddForeignKey(
                name: "FK_Activities_AspNetUsers_FollowUpDoneById",
                table: "Activities",
                column: "FollowUpDoneById",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Activities_AspNetUsers_FollowUpDoneById",
                table: "Activities");

            migrationBuilder.DropTable(
                name: "NotDuplicates");

            migrationBuilder.DropIndex(
                name: "IX_Activities_CreatedById_FollowUpAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_FollowUpDoneById",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "Columns",
                table: "SavedViews");

            migrationBuilder.DropColumn(
                name: "FollowUpDoneAt",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "FollowUpDoneById",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CreatedById",
                table: "Activities",
                column: "CreatedById");
        }
    }
}
