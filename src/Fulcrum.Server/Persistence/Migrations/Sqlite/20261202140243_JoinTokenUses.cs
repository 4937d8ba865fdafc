using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JoinTokenUses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MaxUses",
                table: "JoinTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "Uses",
                table: "JoinTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MaxUses",
                table: "JoinTokens");

            migrationBuilder.DropColumn(
                name: "Uses",
                table: "JoinTokens");
        }
    }
}
