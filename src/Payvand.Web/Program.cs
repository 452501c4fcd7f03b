using Payvand.Components;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.CustomFields;
using Payvand.Modules.Dashboard;
using Payvand.Modules.Imports;
using Payvand.Modules.Messaging;
using Payvand.Modules.Messaging.Automations;
using Payvand.Modules.Messaging.Templates;
using Payvand.Modules.Organization;
using Payvand.Modules.Purchases;
using Payvand.Modules.Search;
using Payvand.Modules.Segments;
using Payvand.Platform;

// --demo is a flag, not a configuration key: left in, the command-line configuration would take the next argument as its value.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo) builder.Configuration["Payvand:Demo"] = "true";

builder.AddPlatform();
builder.Services
    .AddOrganization()
    .AddCustomFields()
    .AddContacts()
    .AddCompanies()
    .AddActivities()
    .AddPurchases()
    .AddSearch()
    .AddImports()
    .AddSegments()
    .AddMessaging()
    .AddMessageTemplates()
    .AddAutomations()
    .AddDashboard();

var app = builder.Build();
app.UsePlatform();
app.MapOrganization();
app.MapCustomFields();
app.MapContacts();
app.MapCompanies();
app.MapActivities();
app.MapPurchases();
app.MapSearch();
app.MapImports();
app.MapSegments();
app.MapMessaging();
app.MapMessageTemplates();
app.MapAutomations();
app.MapDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

public partial class Program;
