using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Localization;
using Payvand.Modules.Contacts;
using Payvand.Platform.Api;
using Payvand.Platform.Auth;
using Payvand.Platform.Extensions;
using Payvand.Platform.Jobs;
using Payvand.Platform.Localization;
using Payvand.Platform.Notifications;
using Payvand.Platform.Privacy;

namespace Payvand.Modules.Messaging;

// Messaging (پیام‌رسانی): the message outbox other modules write to, its dispatcher, SMS gateways (Kavenegar), delivery
// reports and replies, /api/messages, /api/channels and the gateway webhooks /hooks/sms/{provider}/{channel}.
public static class MessagingModule
{
    public const string WebhookRateLimit = "sms-webhook";

    // The public unsubscribe page and the tracked links and pixel, per address.
    public const string PublicRateLimit = "message-links";

    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddMessagingPermissions()
            .AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions())
            .AddSingleton<MessageOutbox>()
            .AddSingleton<MessageDispatcher>()
            .AddHostedService(sp => sp.GetRequiredService<MessageDispatcher>())
            .AddTransient<SmsChannels>()
            .AddTransient<SendMessage>()
            .AddTransient<ListMessages>()
            .AddTransient<ListInboundSms>()
            .AddTransient<CancelMessage>()
            .AddTransient<ResendMessage>()
            .AddTransient<TestSms>()
            .AddTransient<EmailChannels>()
            .AddTransient<TestEmail>()
            .AddTransient<EmailEvents>()
            .AddSingleton<EmailSender>()
            .AddSingleton<MessageLinks>()
            .AddSingleton<INotificationEmail, NotificationEmails>()
            .AddTransient<SmsDeliveryReports>()
            .AddTransient<SmsReplies>()
            .AddJobHandler<SmsDeliveryReportsJob>()
            .AddJobHandler<SmsRepliesJob>()
            .AddTransient<EmailBounceMailbox>()
            .AddTransient<CheckBounceMailbox>()
            .AddJobHandler<EmailBounceMailboxJob>()
            .AddSchedule(EmailBounceMailbox.ScheduleName, "*/5 * * * *", EmailBounceMailbox.JobKind)
            .AddSchedule(SmsDeliveryReports.ScheduleName, "* * * * *", SmsDeliveryReports.JobKind)
            .AddSchedule(SmsReplies.ScheduleName, "* * * * *", SmsReplies.JobKind)
            .AddTimelineEntryType<MessageEntryType>()
            .AddTimelineEntryType<EmailEntryType>()
            .AddTimelineEntryType<EmailClickEntryType>()
            .AddTimelineEntryType<EmailOpenEntryType>()
            .AddTimelineEntryType<InboundSmsEntryType>()
            .AddPersonalData<MessagingPersonalData>()
            .AddSmsGateway<KavenegarGateway>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(WebhookRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
            ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) })));
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(PublicRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
            ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) })));
        return services;
    }

    // A gateway is a typed HttpClient: only reads (GET) are retried by the standard resilience pipeline, the key in the
    // path is never logged (no request logging).
    public static IServiceCollection AddSmsGateway<T>(this IServiceCollection services) where T : class, ISmsGateway
    {
        services.AddHttpClient<T>().RemoveAllLoggers().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
        return services.AddTransient<ISmsGateway>(sp => sp.GetRequiredService<T>());
    }

    public static MessageFilter ReadFilter(QueryReader q) => new()
    {
        Status = q.Enum<MessageStatus>("status"),
        Channel = q.Text("channel"),
        Purpose = q.Enum<ContactPurpose>("purpose"),
        ContactId = q.Number("contactId"),
        From = q.Instant("from"),
        To = q.Instant("to"),
        Staff = q.Bool("staff"),
    };

    public static IEndpointRouteBuilder MapMessaging(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/api/messages").WithTags("Messages");
        messages.MapGet("/", async (HttpContext http, ClaimsPrincipal me, ListMessages list, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var q = new QueryReader(http.Request.Query, text);
                var filter = ReadFilter(q);
                var page = q.Page(ListMessages.SortFields);
                q.ThrowIfAny();
                return TypedResults.Ok(await list.Handle(filter, page, me.Scope(), ct));
            })
            .WithSummary("The message log of people you can see, newest first: filter (status, channel, purpose, contactId, from, to as UTC instants) and page; staff=true: the staff notification emails instead (messaging.channels)")
            .Produces<PagedResult<MessageView>>()
            .RequireAuthorization(MessagingPermissions.Read);
        ListInboundSms.Map(messages);
        messages.MapGet("/{id:long}", async Task<Results<Ok<MessageView>, NotFound>> (long id, ClaimsPrincipal me, ListMessages list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.One(id, me.Scope(), ct)))
            .WithSummary("One message with its state and the reason it is not sent, when it is not")
            .RequireAuthorization(MessagingPermissions.Read);
        messages.MapPost("/", async Task<Results<Created<MessageView>, Ok<MessageView>, ProblemHttpResult>> (
                SendMessage.Request request, HttpContext http, ClaimsPrincipal me, SendMessage send, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
                await send.Handle(request, http.Request.Headers[SendMessage.IdempotencyHeader].ToString(), me.Scope(), ct) switch
                {
                    SendMessage.Created c => TypedResults.Created($"/api/messages/{c.Message.Id}", c.Message),
                    SendMessage.Replayed r => TypedResults.Ok(r.Message),
                    SendMessage.OccasionTaken o => TypedResults.Problem(text["This person already has a message for this occasion."], statusCode: StatusCodes.Status409Conflict,
                        extensions: new Dictionary<string, object?> { ["messageId"] = o.MessageId }),
                    _ => TypedResults.Problem(text["This Idempotency-Key was already used with a different request. Use a new key for a new request."],
                        title: text["Idempotency-Key reused with different parameters."], statusCode: StatusCodes.Status422UnprocessableEntity),
                })
            .WithSummary("Send one message (SMS) to a person, e.g. a one-time code: 201 with the queued message. With an Idempotency-Key header a retry answers 200 with the same message; the same key with another request is 422; an occasion this person already had is 409")
            .RequireAuthorization(MessagingPermissions.Send);
        messages.MapPost("/{id:long}/cancel", async Task<Results<Ok<MessageView>, NotFound>> (long id, ClaimsPrincipal me, CancelMessage cancel, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await cancel.Handle(id, me.Scope(), ct)))
            .WithSummary("Cancel a queued or waiting message (409 once it is being sent)")
            .RequireAuthorization(MessagingPermissions.Manage);
        messages.MapPost("/{id:long}/resend", async Task<Results<Ok<MessageView>, NotFound>> (long id, ClaimsPrincipal me, ResendMessage resend, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await resend.Handle(id, me.Scope(), ct)))
            .WithSummary("Send a failed, suppressed or cancelled message again as a new message (409 otherwise)")
            .RequireAuthorization(MessagingPermissions.Manage);

        var channels = app.MapGroup("/api/channels").WithTags("Messages");
        channels.MapGet("/", async (SmsChannels list, CancellationToken ct) => TypedResults.Ok(await list.List(ct)))
            .WithSummary("SMS channels (gateway accounts); the API key and webhook secret are never returned, only whether they are set")
            .RequireAuthorization(MessagingPermissions.Channels);
        channels.MapGet("/{id:int}", async Task<Results<Ok<SmsChannelView>, NotFound>> (int id, SmsChannels list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One SMS channel")
            .RequireAuthorization(MessagingPermissions.Channels);
        channels.MapPost("/", async (SmsChannelInput input, SmsChannels save, CancellationToken ct) =>
            {
                var created = (await save.Save(null, input, ct))!;
                return TypedResults.Created($"/api/channels/{created.Id}", created);
            })
            .WithSummary("Add an SMS channel: key (used in its webhook path), name, provider (kavenegar), baseUrl, apiKey, lines, webhookSecret, ratePerSecond, optOutText")
            .RequireAuthorization(MessagingPermissions.Channels);
        channels.MapPut("/{id:int}", async Task<Results<Ok<SmsChannelView>, NotFound>> (int id, SmsChannelInput input, SmsChannels save, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await save.Save(id, input, ct)))
            .WithSummary("Change an SMS channel; apiKey and webhookSecret left out keep the stored ones")
            .RequireAuthorization(MessagingPermissions.Channels);
        channels.MapPost("/{id:int}/test", async Task<Results<Ok<TestSms.Response>, NotFound>> (int id, TestSms.Request request, TestSms test, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await test.Handle(id, request, ct)))
            .WithSummary("Send one SMS straight through the channel to check its key and line; the gateway's answer or error")
            .RequireAuthorization(MessagingPermissions.Channels);

        var email = app.MapGroup("/api/channels/email").WithTags("Messages").RequireAuthorization(MessagingPermissions.Channels);
        email.MapGet("/", async (EmailChannels list, CancellationToken ct) => TypedResults.Ok(await list.List(ct)))
            .WithSummary("Email channels (SMTP accounts); the password and webhook secret are never returned, only whether they are set");
        email.MapGet("/{id:int}", async Task<Results<Ok<EmailChannelView>, NotFound>> (int id, EmailChannels list, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await list.Get(id, ct)))
            .WithSummary("One email channel");
        email.MapPost("/", async (EmailChannelInput input, EmailChannels save, CancellationToken ct) =>
            {
                var created = (await save.Save(null, input, ct))!;
                return TypedResults.Created($"/api/channels/email/{created.Id}", created);
            })
            .WithSummary("Add an email channel: key (used in its webhook path /hooks/email/{key}), name, host, port, tls (Auto, None, StartTls, SslOnConnect), userName, password, fromAddress, fromName, replyTo, ratePerSecond, trackClicks, trackOpens, webhookSecret, and optionally the IMAP bounce mailbox read every five minutes: bounceHost, bouncePort (993), bounceTls, bounceUserName, bouncePassword, bounceFolder (INBOX)");
        email.MapPut("/{id:int}", async Task<Results<Ok<EmailChannelView>, NotFound>> (int id, EmailChannelInput input, EmailChannels save, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await save.Save(id, input, ct)))
            .WithSummary("Change an email channel; password, webhookSecret and bouncePassword left out keep the stored ones, bounceHost left out removes the bounce mailbox");
        email.MapPost("/{id:int}/test", async Task<Results<Ok<TestEmail.Response>, NotFound>> (int id, TestEmail.Request request, TestEmail test, CancellationToken ct) =>
                ApiResults.OkOrNotFound(await test.Handle(id, request, ct)))
            .WithSummary("Send one email straight through the channel to check its server, sign-in and From address; whether the server took it, or its error");
        CheckBounceMailbox.Map(email);

        // For people following a link in a message and for mail providers: signed tokens, no sign-in, outside the
        // OpenAPI document.
        var links = app.MapGroup("").ExcludeFromDescription().AllowAnonymous().DisableAntiforgery().RequireRateLimiting(PublicRateLimit);
        links.MapGet("/u/{token}", PublicMessageLinks.Page);
        links.MapPost("/u/{token}", PublicMessageLinks.Confirm);
        links.MapGet("/t/c/{token}", PublicMessageLinks.Click);
        links.MapGet("/t/o/{token}", PublicMessageLinks.Open);

        // For the gateway, not API clients: outside the OpenAPI document.
        app.MapPost("/hooks/email/{channel}", EmailWebhook.Handle)
            .ExcludeFromDescription()
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(WebhookRateLimit);
        app.MapMethods("/hooks/sms/{provider}/{channel}", ["GET", "POST"], SmsWebhook.Handle)
            .ExcludeFromDescription()
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(WebhookRateLimit);
        return app;
    }
}

// The schedules' jobs: delivery reports and replies polled from the gateways.
// Each run resolves its service (and the gateway's HttpClient) afresh.
internal sealed class SmsDeliveryReportsJob(IServiceProvider services) : IJobHandler
{
    public string Kind => SmsDeliveryReports.JobKind;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SmsDeliveryReports>().Poll(ct);
    }
}

internal sealed class SmsRepliesJob(IServiceProvider services) : IJobHandler
{
    public string Kind => SmsReplies.JobKind;

    public async Task Run(BackgroundJob job, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SmsReplies>().Poll(ct);
    }
}
