using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "FailoverFromNodeId",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FailoverRequestedAt",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FailoverTargetNodeId",
                table: "Clusters",
                type: "TEXT",
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
