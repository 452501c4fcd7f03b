using Payvand.FakeKavenegar;

// A stand-in for Kavenegar's SMS REST API (https://api.kavenegar.com/v1/{apikey}/sms/...), run by the tests as a
// separate process, with control endpoints under /_fake/ that only this fake has: inject inbound messages, set a
// number's delivery status, fail the next calls, slow sends down, read everything it was asked to send.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(new Gateway(builder.Configuration["Fake:ApiKeys"]?.Split(",") ?? ["test-key"], TimeProvider.System));

var app = builder.Build();
app.MapGet("/health", () => "ok");
KavenegarApi.Map(app);
FakeControl.Map(app);
await app.RunAsync();
