namespace Payvand.FakeKavenegar;

// The endpoints only the fake has, for tests to arrange and inspect what the real service would do by itself.
public static class FakeControl
{
    public sealed record Inbound(string Line, string From, string Message);

    public sealed record NumberStatus(string Receptor, int Status);

    public sealed record Failure(int Count, int Status = 502);

    public sealed record Delay(int Milliseconds);

    public sealed record Credit(bool Enabled);

    public static void Map(WebApplication app)
    {
        var fake = app.MapGroup("/_fake");
        fake.MapPost("/inbound", (Inbound m, Gateway g) => TypedResults.Ok(g.Receive(m.Line, m.From, m.Message)));
        fake.MapPost("/unread", (Gateway g) =>
        {
            g.MarkUnread();
            return TypedResults.NoContent();
        });
        fake.MapPost("/status", (NumberStatus s, Gateway g) =>
        {
            g.SetStatus(s.Receptor, s.Status);
            return TypedResults.NoContent();
        });
        fake.MapPost("/fail", (Failure f, Gateway g) =>
        {
            g.FailNext(f.Count, f.Status);
            return TypedResults.NoContent();
        });
        fake.MapPost("/delay", (Delay d, Gateway g) =>
        {
            g.DelayMilliseconds = d.Milliseconds;
            return TypedResults.NoContent();
        });
        fake.MapPost("/credit", (Credit c, Gateway g) =>
        {
            g.NoCredit = !c.Enabled;
            return TypedResults.NoContent();
        });
        fake.MapGet("/sent", (Gateway g) => TypedResults.Ok(g.Sent()));
        fake.MapGet("/stats", (Gateway g) => TypedResults.Ok(new { g.SendCalls, g.DuplicateSends, Sent = g.Sent().Count }));
        fake.MapPost("/reset", (Gateway g) =>
        {
            g.Reset();
            return TypedResults.NoContent();
        });
    }
}
