using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NodeMaintenanceAndFailover : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Maintenance",
                table: "Nodes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "FailoverFromNodeId",
                table: "Clusters",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FailoverRequestedAt",
                table: "Clusters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FailoverTargetNodeId",
                table: "Clusters",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Maintenance",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "FailoverFromNodeId",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "FailoverRequestedAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "FailoverTargetNodeId",
                table: "Clusters");
        }
    }
}
