namespace Fulcrum.Cli;

public enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
