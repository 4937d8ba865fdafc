using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RetriedApplyErrors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "LastErrorRetried",
                table: "Nodes",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastErrorRetried",
                table: "Nodes");
        }
    }
}
