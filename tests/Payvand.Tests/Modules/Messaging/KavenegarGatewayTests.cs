using Payvand.Modules.Messaging;

namespace Payvand.Tests.Modules.Messaging;

// The Kavenegar adapter against the fake gateway process, call by call: what it sends, what it reads back, and how
// each kind of error answer comes out (temporary or not, possibly accepted or not).
public sealed class KavenegarGatewayTests(FakeKavenegarProcess fake) : IClassFixture<FakeKavenegarProcess>
{
    private SmsAccount Account(string key = FakeKavenegarProcess.ApiKey) => new(fake.Address.ToString(), key);

    private static KavenegarGateway Gateway() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    private static string NewMobile() => "+989" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    [Fact]
    public async Task Sendarray_sends_each_message_once_per_local_id_and_status_reads_them_back()
    {
        var gateway = Gateway();
        var a = NewMobile();
        var b = NewMobile();
        var (idA, idB) = (MessageOutbox.NewLocalId(), MessageOutbox.NewLocalId());
        var receipts = await gateway.Send(Account(), [new OutgoingSms(idA, a, "10004346", "سلام"), new OutgoingSms(idB, b, "10004346", "hello")], CancellationToken.None);
        Assert.Equal([idA, idB], receipts.Select(r => r.LocalId));
        Assert.All(receipts, r => Assert.True(r.ProviderId > 0));

        // The same local id again: the first message, not a second one.
        var again = await gateway.Send(Account(), [new OutgoingSms(idA, a, "10004346", "سلام")], CancellationToken.None);
        Assert.Equal(receipts[0].ProviderId, again[0].ProviderId);
        var sent = await fake.SentMessages();
        Assert.Single(sent, s => s.LocalId == idA);
        var toA = Assert.Single(sent, s => FakeKavenegarProcess.Number(s.Receptor) == FakeKavenegarProcess.Number(a));
        Assert.Equal("0" + a[3..], toA.Receptor); // Kavenegar takes 09xxxxxxxxx
        Assert.Equal("سلام", toA.Message);

        await fake.SetStatus(b, SmsStatusCodes.Undelivered);
        var states = await gateway.Status(Account(), [receipts[0].ProviderId, receipts[1].ProviderId, 123], CancellationToken.None);
        Assert.Equal([SmsStatusCodes.Delivered, SmsStatusCodes.Undelivered, SmsStatusCodes.Unknown], states.Select(s => s.Status));
        Assert.False(states[2].Found);

        var byLocal = await gateway.StatusByLocalId(Account(), [idA, MessageOutbox.NewLocalId()], CancellationToken.None);
        Assert.True(byLocal[0].Found);
        Assert.Equal(receipts[0].ProviderId, byLocal[0].ProviderId);
        Assert.False(byLocal[1].Found);
    }

    [Fact]
    public async Task Receive_reads_a_lines_unread_messages_once()
    {
        var line = "3000" + Random.Shared.Next(1000, 9999);
        await fake.Inbound(line, "09121112233", "۱۱");
        var inbox = await Gateway().Receive(Account(), line, CancellationToken.None);
        var sms = Assert.Single(inbox);
        Assert.Equal(("09121112233", line, "۱۱"), (sms.From, sms.Line, sms.Text));
        Assert.Empty(await Gateway().Receive(Account(), line, CancellationToken.None));
    }

    [Fact]
    public async Task Error_answers_say_whether_to_try_again_and_whether_the_gateway_may_have_taken_the_messages()
    {
        var gateway = Gateway();
        var message = new OutgoingSms(MessageOutbox.NewLocalId(), NewMobile(), "10004346", "x");

        var badKey = await Assert.ThrowsAsync<SmsGatewayException>(() => gateway.Send(Account("not-a-key"), [message], CancellationToken.None));
        Assert.Equal((403, true, false), (badKey.Code, badKey.Temporary, badKey.MaybeAccepted));

        var badNumber = await Assert.ThrowsAsync<SmsGatewayException>(() => gateway.Send(Account(), [message with { Receptor = "12345" }], CancellationToken.None));
        Assert.Equal((411, false), (badNumber.Code, badNumber.Temporary));

        var badSender = await Assert.ThrowsAsync<SmsGatewayException>(() => gateway.Send(Account(), [message with { Sender = "abc" }], CancellationToken.None));
        Assert.Equal((412, false), (badSender.Code, badSender.Temporary));

        await fake.Credit(false);
        try
        {
            var credit = await Assert.ThrowsAsync<SmsGatewayException>(() => gateway.Send(Account(), [message], CancellationToken.None));
            Assert.Equal((418, true, false), (credit.Code, credit.Temporary, credit.MaybeAccepted));
        }
        finally
        {
            await fake.Credit(true);
        }

        await fake.FailNext(1, 503);
        var server = await Assert.ThrowsAsync<SmsGatewayException>(() => gateway.Send(Account(), [message], CancellationToken.None));
        Assert.Equal((503, true, true), (server.Code, server.Temporary, server.MaybeAccepted));
        Assert.DoesNotContain(FakeKavenegarProcess.ApiKey, server.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await fake.SentMessages(), s => s.LocalId == message.LocalId);
    }
}
