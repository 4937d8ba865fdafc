namespace Fulcrum.Server.Http;

/// <summary>A failure the client caused and can fix; turned into RFC 9457 problem details with its status.</summary>
public sealed class ProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static ProblemException NotFound(string kind, string id) =>
        new(StatusCodes.Status404NotFound, "Not found", $"There is no {kind} with id '{id}'.");

    public static ProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemException PreconditionFailed(string detail) =>
        new(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail);

    public static ProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
}
