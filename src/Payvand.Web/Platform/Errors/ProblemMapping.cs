using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Errors;

// The one place exceptions become ProblemDetails: rule -> 409, validation -> 400 with field errors,
// refused -> 403 (audited), not found -> 404, stale edit -> 409. Anything else is a 500 without internals.
public sealed class ProblemMapping(
    IProblemDetailsService problems, IStringLocalizer<SharedResource> text, AuditLog audit, CurrentUserAccessor currentUser,
    ILogger<ProblemMapping> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The culture chosen for the request was set further down the pipeline; answer in it.
        if (httpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture is { } culture)
        {
            CultureInfo.CurrentCulture = culture.Culture;
            CultureInfo.CurrentUICulture = culture.UICulture;
        }

        ProblemDetails problem = exception switch
        {
            ValidationException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = text["Some fields are not valid."],
            },
            DomainRuleException r => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = r.Message },
            AccessDeniedException d => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = d.Message },
            NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = n.Message },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = text["Someone else changed this record after you opened it. Reload it and apply your change again."],
            },
            // Nets under the checks handlers make, so a check forgotten answers 400 and not 500: an id of a row that does
            // not exist, and (PostgreSQL only; SQLite stores anything) a text longer than its column or one it cannot encode.
            DbUpdateException u when ForeignKeyViolation.Is(u) => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = text["A record this refers to was not found."],
            },
            _ when Postgres(exception) is PostgresErrorCodes.StringDataRightTruncation => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = text["A text is longer than it may be."],
            },
            _ when Postgres(exception) is PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = text["A text holds a character that cannot be stored."],
            },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = text["The request could not be read."], Detail = b.Message },
            _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = text["Something went wrong on our side."] },
        };
        if (exception is AccessDeniedException)
        {
            // The exception handler runs outside the middleware that set the acting user; set it again for the audit entry.
            currentUser.User = UserScope.From(httpContext.User);
            currentUser.IpAddress = httpContext.Connection.RemoteIpAddress?.ToString();
            await audit.Write(AuditAction.AccessDenied, null, null, $"{httpContext.Request.Method} {httpContext.Request.Path}", cancellationToken);
        }

        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            log.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string? Postgres(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException p) return p.SqlState;
        }

        return null;
    }
}
