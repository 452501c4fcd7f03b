namespace Payvand.Platform.Notifications;

// In-app notifications for staff (the bell): modules call Notifier.Notify in their change's transaction.
public static class NotificationsSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) => services
        .AddSingleton<NotificationSignal>()
        .AddSingleton<Notifier>()
        .AddTransient<MyNotifications>()
        .AddTransient<MyNotificationPreferences>()
        .AddNotificationKind("records.assigned", "Records given to me", 20);

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        MyNotifications.Map(app);
        return app;
    }
}
