using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Payvand.Platform.Auth;
using Payvand.Platform.Localization;

namespace Payvand.Platform.Api;

// An exportable list of a module (people, companies, purchases...). A module registers it with AddListExport; then
// GET /api/{Name}/export (MapListExport), the background export (POST /api/exports/{Name}) and the Exports page serve
// it, so a new module adds an export without touching the one that runs background jobs.
public interface IListExport
{
    // The list as URLs name it: /api/{Name}/export, POST /api/exports/{Name}; also the name of the file.
    string Name { get; }

    // The list's name for people, a key of SharedResource ("People").
    string Label { get; }

    // The permission an export of this list needs (its endpoint requires the same).
    string Permission { get; }

    // Reads the view (filters and sort) from a list query; bad values are collected in q, which the caller throws.
    IExportView Read(QueryReader q);
}

// One view of a list, as read from its query.
public interface IExportView
{
    // Refuses (403) a view that needs more than the list's export permission, e.g. deleted records.
    void Authorize(UserScope user);

    // The rows the export will hold (at most TableExport.MaxRows).
    Task<int> Count(UserScope user, CancellationToken ct);

    Task Write(Stream output, ExportFormat format, UserScope user, CancellationToken ct);
}

// The usual IListExport: a filter read like the list's own endpoint reads it, and the list's sort.
public abstract class ListExport<TFilter> : IListExport
{
    public abstract string Name { get; }

    public abstract string Label { get; }

    public abstract string Permission { get; }

    protected abstract string[] SortFields { get; }

    public IExportView Read(QueryReader q) => new View(this, ReadFilter(q), q.Page(SortFields));

    protected abstract TFilter ReadFilter(QueryReader q);

    // Refuses (403) what the filter asks for beyond the export permission; nothing by default.
    protected virtual void Authorize(TFilter filter, UserScope user)
    {
    }

    protected abstract Task<int> Count(TFilter filter, UserScope user, CancellationToken ct);

    // The caller has authorized the view (Authorize).
    protected abstract Task Write(Stream output, ExportFormat format, TFilter filter, PageRequest sort, UserScope user, CancellationToken ct);

    private sealed record View(ListExport<TFilter> Export, TFilter Filter, PageRequest Sort) : IExportView
    {
        public void Authorize(UserScope user) => Export.Authorize(Filter, user);

        public Task<int> Count(UserScope user, CancellationToken ct) => Export.Count(Filter, user, ct);

        public Task Write(Stream output, ExportFormat format, UserScope user, CancellationToken ct) => Export.Write(output, format, Filter, Sort, user, ct);
    }
}

public static class ListExports
{
    // The export is injectable as itself (its module's endpoint) and as one of every IListExport (background jobs).
    public static IServiceCollection AddListExport<T>(this IServiceCollection services) where T : class, IListExport => services
        .AddTransient<T>()
        .AddTransient<IListExport>(sp => sp.GetRequiredService<T>());

    // GET {group}/export?format=csv|xlsx plus the list's filters and sort: the view downloaded at once.
    public static RouteHandlerBuilder MapListExport<T>(this RouteGroupBuilder group) where T : class, IListExport =>
        group.MapGet("/export", async (HttpContext http, ClaimsPrincipal me, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                // Resolved here, not as a parameter: ASP.NET Core's route handler analyzer fails on a generic parameter.
                var export = http.RequestServices.GetRequiredService<T>();
                var q = new QueryReader(http.Request.Query, text);
                var view = export.Read(q);
                var format = q.Enum<ExportFormat>("format") ?? ExportFormat.Csv;
                q.ThrowIfAny();
                var user = me.Scope();
                view.Authorize(user);
                http.Response.ContentType = TableExport.ContentType(format);
                http.Response.Headers.ContentDisposition = $"attachment; filename={TableExport.FileName(export.Name, format)}";
                await view.Write(http.Response.Body, format, user, ct);
            });
}
