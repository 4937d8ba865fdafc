using Fulcrum.Core.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fulcrum.Server.Http;

/// <summary>The one place where exceptions become RFC 9457 problem details.</summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ProblemFor(exception);
        if (problem is null)
        {
            LogUnhandled(logger, exception);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The answer to a failure the client caused; null for anything else (a 500).</summary>
    public static ProblemDetails? ProblemFor(Exception exception) =>
        exception switch
        {
            ValidationFailedException invalid => new HttpValidationProblemDetails(invalid.Errors.ToDictionary().ToDictionary())
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
                Detail = invalid.Errors.Unlisted == 0
                    ? "See errors: each names a field by its JSON path."
                    : $"See errors: each names a field by its JSON path. {invalid.Errors.Count} fields are invalid; the first {ValidationErrors.MaxListed} are listed, {invalid.Errors.Unlisted} more are not.",
                Extensions = { ["invalidFields"] = invalid.Errors.Count },
            },
            ProblemException api => new ProblemDetails { Status = api.Status, Title = api.Title, Detail = api.Message },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad request",
                Detail = bad.Message,
            },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "Precondition failed",
                Detail = "The resource was changed by another request; read it again and retry.",
            },
            DbUpdateException { InnerException: var inner } when IsConstraintViolation(inner) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = "The change conflicts with another resource (a value that must be unique is taken, or a referenced resource is gone).",
            },
            _ => null,
        };

    internal static bool IsConstraintViolation(Exception? exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
