using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Platform.Errors;

// Errors reach API clients as RFC 9457 problem details in the caller's language: field errors for invalid
// input (400), the rule that was broken (409), a stale edit (409).
[Trait("Category", "Integration")]
public sealed class ProblemMappingTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_validation_problem_in_persian_has_a_persian_title_and_field_messages()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var input = new ContactInput { LastName = "", NationalCode = "1234567890", BirthDate = new DateOnly(2999, 1, 1), Points = [new(ContactPointKind.Email, "not-an-email")] };
        var problem = await (await client.PostJson("/api/contacts", input)).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("برخی از فیلدها معتبر نیستند.", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("وارد کردن نام خانوادگی الزامی است.", errors.GetProperty("lastName")[0].GetString());
        Assert.Equal("کد ملی معتبر نیست.", errors.GetProperty("nationalCode")[0].GetString());
        Assert.Equal("نشانی ایمیل معتبر نیست.", errors.GetProperty("points[0].value")[0].GetString());
        Assert.True(errors.TryGetProperty("birthDate", out _));
        foreach (var field in errors.EnumerateObject())
        {
            foreach (var message in field.Value.EnumerateArray())
            {
                Assert.Matches(@"\p{IsArabic}", message.GetString()!);
                Assert.DoesNotMatch("[A-Za-z]{4,}", message.GetString()!); // no English left behind
            }
        }
    }

    [Fact]
    public async Task The_same_problem_in_english()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "en-US");
        var problem = await (await client.PostJson("/api/contacts", new ContactInput { LastName = " " })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("Some fields are not valid.", problem.GetProperty("title").GetString());
        Assert.Equal("Last name is required.", problem.GetProperty("errors").GetProperty("lastName")[0].GetString());
    }

    [Fact]
    public async Task A_list_query_with_bad_values_is_a_problem_in_persian_too()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var problem = await (await client.GetAsync("/api/contacts?lifecycle=Alien&bornFrom=yesterday")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("برخی از فیلدها معتبر نیستند.", problem.GetProperty("title").GetString());
        Assert.Matches(@"\p{IsArabic}", problem.GetProperty("errors").GetProperty("lifecycle")[0].GetString()!);
        Assert.Matches(@"\p{IsArabic}", problem.GetProperty("errors").GetProperty("bornFrom")[0].GetString()!);
    }

    [Fact]
    public async Task A_stale_edit_is_a_409_problem_in_persian()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "fa-IR");
        var created = await (await client.PostJson("/api/contacts", new ContactInput { LastName = "Stale" })).Read<ContactDetails>(HttpStatusCode.Created);
        await (await client.PutJson($"/api/contacts/{created.Id}", new ContactInput { LastName = "Fresh", Version = created.Version })).Read<ContactDetails>();
        var problem = await (await client.PutJson($"/api/contacts/{created.Id}", new ContactInput { LastName = "Late", Version = created.Version })).Problem(HttpStatusCode.Conflict);
        Assert.Equal("پس از باز کردن این رکورد، کاربر دیگری آن را تغییر داده است. آن را دوباره بارگیری کنید و تغییرتان را دوباره اعمال کنید.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_is_a_400_problem()
    {
        var client = await app.ClientFor(await app.CreateUser("Sales", app.MainBranchId), "en-US");
        using var content = new StringContent("{\"lastName\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/contacts", content);
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }
}
