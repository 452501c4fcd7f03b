using System.Net;
using Payvand.Modules.Contacts;
using Payvand.Tests.Infrastructure;

namespace Payvand.Tests.Modules.Contacts;

// Saved views of a list: saved with their columns, renamed, shared with the team (others see and use them but cannot
// change or delete them), deleted.
[Trait("Category", "Integration")]
public sealed class SavedViewsTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    [Fact]
    public async Task A_view_is_saved_with_columns_renamed_shared_and_deleted_only_by_its_owner()
    {
        var owner = await app.ClientAs("Sales", app.MainBranchId);
        var colleague = await app.ClientAs("Sales", app.MainBranchId);
        var name = "مشتریان طلایی " + Guid.NewGuid().ToString("N")[..4];
        var view = await (await owner.PostJson("/api/views", new SavedViews.Request("contacts", name, "?city=تهران&tag=vip", Columns: ["mobile", "city"])))
            .Read<SavedViewDto>(HttpStatusCode.Created);
        Assert.Equal(["mobile", "city"], view.Columns);
        Assert.Equal("city=تهران&tag=vip", view.Query);
        Assert.DoesNotContain(await (await colleague.GetAsync("/api/views?list=contacts")).Read<List<SavedViewDto>>(), v => v.Id == view.Id);

        var renamed = await (await owner.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Name: name + " تهران", IsShared: true))).Read<SavedViewDto>();
        Assert.Equal((name + " تهران", true, "city=تهران&tag=vip"), (renamed.Name, renamed.IsShared, renamed.Query));
        Assert.Equal(["mobile", "city"], renamed.Columns);   // fields left out stay

        var seen = Assert.Single(await (await colleague.GetAsync("/api/views?list=contacts")).Read<List<SavedViewDto>>(), v => v.Id == view.Id);
        Assert.False(seen.IsMine);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Name: "mine now"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.DeleteAsync($"/api/views/{view.Id}")).StatusCode);

        var columns = await (await owner.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Columns: ["email"]))).Read<SavedViewDto>();
        Assert.Equal(["email"], columns.Columns);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/views/{view.Id}")).StatusCode);
        Assert.DoesNotContain(await (await colleague.GetAsync("/api/views?list=contacts")).Read<List<SavedViewDto>>(), v => v.Id == view.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Name: "gone"))).StatusCode);
    }

    [Fact]
    public async Task A_private_view_of_someone_else_is_not_found_and_bad_input_is_a_field_error()
    {
        var owner = await app.ClientAs("Sales", app.MainBranchId);
        var other = await app.ClientAs("Sales", app.MainBranchId);
        var view = await (await owner.PostJson("/api/views", new SavedViews.Request("contacts", "private", "city=قم"))).Read<SavedViewDto>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Name: "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/views/{view.Id}")).StatusCode);

        var blank = await (await owner.PutJson($"/api/views/{view.Id}", new SavedViews.Change(Name: " "))).Problem(HttpStatusCode.BadRequest);
        Assert.True(blank.GetProperty("errors").TryGetProperty("name", out _));
        var badColumns = await (await owner.PostJson("/api/views", new SavedViews.Request("contacts", "cols", "", Columns: ["a,b"]))).Problem(HttpStatusCode.BadRequest);
        Assert.True(badColumns.GetProperty("errors").TryGetProperty("columns", out _));
    }
}
