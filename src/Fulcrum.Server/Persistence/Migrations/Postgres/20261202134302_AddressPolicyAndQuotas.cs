using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddressPolicyAndQuotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Quotas",
                table: "Projects",
                type: "text",
                nullable: false,
                defaultValue: "{\"loadBalancers\":20,\"listeners\":100,\"backends\":1000,\"certificates\":50,\"aclEntries\":20000}");

            migrationBuilder.AddColumn<string>(
                name: "BackendAllowedRanges",
                table: "Clusters",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "VipPrefixLengths",
                table: "Clusters",
                type: "text",
                nullable: false,
                defaultValue: "[32,128]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Quotas",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "BackendAllowedRanges",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "VipPrefixLengths",
                table: "Clusters");
        }
    }
}
