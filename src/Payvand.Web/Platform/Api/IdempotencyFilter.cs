using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Errors;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Api;

// Makes a POST safe to retry, like Stripe's Idempotency-Key: the first successful response (status and body) is
// stored and replayed byte for byte to retries with the same key and body; the same key with another body is 422;
// a retry while the first is still running is 409. Keys belong to the caller (two users may use the same key) and
// are kept IdempotencyCleanup.Retention. A request without the header runs as usual.
//
// Only successful (2xx) responses are stored. A refused request (400, 404, 409) releases its key, so the caller may
// fix it and retry with the same key, as Stripe does for requests that fail validation.
// Known limit: a process that dies between running the handler and storing its response leaves the key "in flight"
// until cleanup; the business keys (e.g. a purchase's external order id) are the guard for that case.
public sealed class IdempotencyFilter(
    Type requestType, IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> text, IOptions<JsonOptions> json)
    : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length == 0) return await next(context);
        if (key.Length > MaxKeyLength)
        {
            throw new ValidationException(new Dictionary<string, string[]> { [Header] = [text["{0} must be at most {1} characters.", Header, MaxKeyLength]] });
        }

        var user = UserScope.From(http.User) ?? throw new InvalidOperationException("Idempotent endpoints require an authenticated caller.");
        var hash = Hash(http, context.Arguments.FirstOrDefault(a => a is not null && requestType.IsInstanceOfType(a)));

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var claimed = await TryClaim(user.UserId, key, hash, http.RequestAborted);
            if (claimed is { } id) return await RunAndStore(id, context, next);

            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            var existing = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == user.UserId && r.Key == key, http.RequestAborted);
            if (existing is null) continue; // released by a failed first request between our insert and this read: claim again
            if (existing.RequestHash != hash)
            {
                return TypedResults.Problem(text["This Idempotency-Key was already used with a different request. Use a new key for a new request."],
                    title: text["Idempotency-Key reused with different parameters."], statusCode: StatusCodes.Status422UnprocessableEntity);
            }

            if (existing.CompletedAt is null)
            {
                return TypedResults.Problem(text["A request with this Idempotency-Key is still being processed. Retry in a moment."],
                    title: text["The first request with this key is still in progress."], statusCode: StatusCodes.Status409Conflict);
            }

            return new StoredResponse(existing.StatusCode ?? StatusCodes.Status200OK, existing.ResponseBody, existing.Location, Replayed: true);
        }

        throw new DomainRuleException(text["A request with this Idempotency-Key is still being processed. Retry in a moment."]);
    }

    // One statement either way, prepared (PreparedStatements): a key that is already there is no row rather than a
    // unique violation, so a retry costs no exception and logs no failed command (SQLite and PostgreSQL both have
    // ON CONFLICT ... DO NOTHING RETURNING).
    private async Task<long?> TryClaim(int userId, string key, string hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // "-- prepared" written out (an interpolation would be a parameter): PreparedStatements.Marker.
        var ids = await db.Database.SqlQuery<long>($"""
            -- prepared
            INSERT INTO "IdempotencyKeys" ("UserId", "Key", "RequestHash", "CreatedAt") VALUES ({userId}, {key}, {hash}, {now})
            ON CONFLICT ("UserId", "Key") DO NOTHING RETURNING "Id" AS "Value"
            """).ToListAsync(ct);
        return ids.Count == 0 ? null : ids[0];
    }

    private async Task<object?> RunAndStore(long id, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var claim = new IdempotencyClaim(id, json.Value.SerializerOptions, clock);
        context.HttpContext.Features.Set(claim);
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            // An answer already committed with the handler's own writes stays: retries must get it.
            if (claim.Stored is null) await Release(id);
            throw;
        }

        // The handler stored its answer in its own transaction (IdempotencyClaim.Complete): nothing left to write.
        if (claim.Stored is { } stored) return stored;
        var answer = IdempotencyClaim.Answer(result, json.Value.SerializerOptions);
        if (answer is null)
        {
            await Release(id);
            return result;
        }

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.IdempotencyKeys.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusCode, answer.Status)
            .SetProperty(r => r.ResponseBody, answer.Body)
            .SetProperty(r => r.Location, answer.Location)
            .SetProperty(r => r.CompletedAt, now), CancellationToken.None);

        // The first caller gets the very bytes later retries will get.
        return answer;
    }

    // Not cancellable: the key must be freed even when the caller has gone.
    private async Task Release(long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.IdempotencyKeys.Where(r => r.Id == id).ExecuteDeleteAsync(CancellationToken.None);
    }

    private string Hash(HttpContext http, object? request)
    {
        var body = request is null ? "" : JsonSerializer.Serialize(request, requestType, json.Value.SerializerOptions);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n{body}"));
        return Convert.ToHexStringLower(bytes);
    }

}

// The Idempotency-Key a request holds while its handler runs (HttpContext.Features). A handler that writes in a
// transaction of its own may store its answer there (Complete) instead of leaving it to the filter: one write less,
// and the key is completed exactly when the work is committed.
public sealed class IdempotencyClaim
{
    private readonly long id;
    private readonly JsonSerializerOptions json;
    private readonly TimeProvider clock;

    internal IdempotencyClaim(long id, JsonSerializerOptions json, TimeProvider clock)
    {
        this.id = id;
        this.json = json;
        this.clock = clock;
    }

    // The answer stored with the handler's committed transaction; null until then.
    internal StoredResponse? Stored { get; private set; }

    public static IdempotencyClaim? Of(HttpContext http) => http.Features.Get<IdempotencyClaim>();

    // Adds the storing of result (a 2xx result with a value, as the endpoint returns it) to db's current transaction;
    // the caller saves and commits. Once committed, the filter answers with exactly the stored bytes.
    public void Complete(PayvandDb db, IResult result)
    {
        var answer = Answer(result, json) ?? throw new ArgumentException("Only a successful result with a value is stored.", nameof(result));
        var record = new IdempotencyRecord { Id = id, Key = "", RequestHash = "" };
        db.IdempotencyKeys.Attach(record);
        record.StatusCode = answer.Status;
        record.ResponseBody = answer.Body;
        record.Location = answer.Location;
        record.CompletedAt = clock.GetUtcNow().UtcDateTime;
        db.OnCommitted(_ =>
        {
            Stored = answer;
            return Task.CompletedTask;
        });
    }

    // What is stored of an endpoint's result: its status, its value as JSON and its Location; null for a result that
    // is not stored (not 2xx, or without a value).
    internal static StoredResponse? Answer(object? result, JsonSerializerOptions json)
    {
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var status = (inner as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (inner is not IValueHttpResult valued || status is < 200 or >= 300) return null;
        var body = valued.Value is null ? null : JsonSerializer.Serialize(valued.Value, valued.Value.GetType(), json);
        return new StoredResponse(status, body, LocationOf(inner), Replayed: false);
    }

    // Created<T> and CreatedAtRoute<T> carry a Location; the framework offers no interface for it.
    private static string? LocationOf(object result) =>
        result.GetType().GetProperty("Location", BindingFlags.Public | BindingFlags.Instance)?.GetValue(result) as string;
}

internal sealed record StoredResponse(int Status, string? Body, string? Location, bool Replayed) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (Location is not null) response.Headers.Location = Location;
        if (Replayed) response.Headers[IdempotencyFilter.ReplayedHeader] = "true";
        if (Body is null) return;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(Body, Encoding.UTF8);
    }
}

public static class IdempotencyEndpoints
{
    // Marks a POST as safe to retry with an Idempotency-Key; TRequest is its body, whose JSON is part of the request hash.
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory((factory, next) =>
            {
                var filter = ActivatorUtilities.CreateInstance<IdempotencyFilter>(factory.ApplicationServices, typeof(TRequest));
                return context => filter.InvokeAsync(context, next);
            })
            .WithMetadata(new IdempotentEndpoint())
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

// Marks endpoints that accept Idempotency-Key (for the OpenAPI document and tests).
public sealed class IdempotentEndpoint;

// Removes keys older than Retention, hourly. Run on every instance: the delete is idempotent.
// Every hour (the "idempotency-cleanup" schedule) the keys older than Retention are removed.
public sealed class IdempotencyCleanup(IDbContextFactory<PayvandDb> dbFactory, TimeProvider clock, ILogger<IdempotencyCleanup> log) : IJobHandler
{
    public const string ScheduleName = "idempotency-cleanup";

    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public string Kind => ScheduleName;

    public int MaxAttempts => 3;

    public async Task<int> RemoveExpired(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime - Retention;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.IdempotencyKeys.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        var removed = await RemoveExpired(ct);
        if (removed > 0) log.LogInformation("Removed {Count} expired idempotency keys", removed);
    }
}
