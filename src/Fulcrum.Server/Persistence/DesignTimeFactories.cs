using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fulcrum.Server.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without starting the server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFulcrumDbContext>
{
    public SqliteFulcrumDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFulcrumDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFulcrumDbContext>
{
    public PostgresFulcrumDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFulcrumDbContext>().UseNpgsql("Host=localhost;Database=fulcrum_design").Options);
}
