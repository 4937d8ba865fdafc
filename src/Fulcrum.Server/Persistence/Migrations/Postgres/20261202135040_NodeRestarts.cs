using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NodeRestarts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Restarts",
                table: "Nodes",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Restarts",
                table: "Nodes");
        }
    }
}
