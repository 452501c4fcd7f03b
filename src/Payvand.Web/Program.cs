using Payvand.Components;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Modules.Dashboard;
using Payvand.Modules.Organization;
using Payvand.Modules.Search;
using Payvand.Platform;

var builder = WebApplication.CreateBuilder(args);
if (args.Contains("--demo")) builder.Configuration["Payvand:Demo"] = "true";

builder.AddPlatform();
builder.Services
    .AddOrganization()
    .AddCustomFields()
    .AddContacts()
    .AddCompanies()
    .AddActivities()
    .AddSearch()
    .AddDashboard();

var app = builder.Build();
app.UsePlatform();
app.MapOrganization();
app.MapCustomFields();
app.MapContacts();
app.MapCompanies();
app.MapActivities();
app.MapSearch();
app.MapDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

public partial class Program;
