using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fulcrum.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListenerResponseClasses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Http1xx",
                table: "ListenerStats",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "Http2xx",
                table: "ListenerStats",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "Http3xx",
                table: "ListenerStats",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "Http4xx",
                table: "ListenerStats",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "HttpOther",
                table: "ListenerStats",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Http1xx",
                table: "ListenerStats");

            migrationBuilder.DropColumn(
                name: "Http2xx",
                table: "ListenerStats");

            migrationBuilder.DropColumn(
                name: "Http3xx",
                table: "ListenerStats");

            migrationBuilder.DropColumn(
                name: "Http4xx",
                table: "ListenerStats");

            migrationBuilder.DropColumn(
                name: "HttpOther",
                table: "ListenerStats");
        }
    }
}
