using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "cli server";
}
