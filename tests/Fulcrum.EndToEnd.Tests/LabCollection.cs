namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// The classes that each build a whole lab with two nodes run one after the other: a machine of two cores that
/// runs several labs' data planes at once starves them, and what would fail then is the machine, not the product.
/// </summary>
public static class LabCollection
{
    public const string Name = "Two-node labs";
}
