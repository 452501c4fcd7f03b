using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payvand.Modules.Activities;
using Payvand.Modules.Companies;
using Payvand.Modules.Contacts;
using Payvand.Modules.Imports;
using Payvand.Modules.Purchases;
using Payvand.Platform.Auth;
using Payvand.Platform.Data;
using Payvand.Platform.Jobs;
using Payvand.Platform.Persian;

namespace Payvand.Bench;

// import: writes an N-row people spreadsheet as customers bring them (Persian headers, phones and Jalali birth
// dates as typed, Persian digits in some rows, Arabic ي/ك in names), uploads it into an empty database and runs
// the import job in this process, timing the job alone (docs/benchmarks-log.md, "Import").
public static class ImportBench
{
    public static async Task Run(BenchOptions o, string? csvPath, CancellationToken ct)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fa-IR");
        await using var app = AppServices.Build(o, s => s.AddContacts().AddCompanies().AddActivities().AddPurchases().AddImports());
        await app.Services.MigrateAsync(ct);
        await FirstRun.EnsureBasics(app.Services, app.Configuration, app.Logger, ct);
        int adminId, branchId;
        await using (var db = await app.Db(ct))
        {
            if (await db.Contacts.IgnoreQueryFilters().AnyAsync(ct)) throw new InvalidOperationException("import needs a database without people.");
            adminId = await db.Users.Where(u => u.Email == AppServices.AdminEmail).Select(u => u.Id).SingleAsync(ct);
            branchId = await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).FirstAsync(ct);
        }

        var csv = Csv(o.People, o.Seed, branchId, adminId);
        if (csvPath is not null) await File.WriteAllBytesAsync(csvPath, csv, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {o.People:N0} rows, {csv.Length / 1024.0 / 1024.0:0.0} MB"));

        var admin = new UserScope(adminId, AppServices.AdminEmail, new HashSet<string> { Roles.Admin }, new HashSet<int>());
        var services = app.Services;
        var upload = Stopwatch.StartNew();
        var preview = await services.GetRequiredService<UploadImport>().Handle(PeopleImport.KindName, "bench.csv", new MemoryStream(csv), admin, ct);
        await services.GetRequiredService<MapImport>().Handle(preview.Import.Id, preview.Import.Settings with { BranchId = branchId, Tags = ["bench"] }, admin, ct);
        await services.GetRequiredService<StartImport>().Start(preview.Import.Id, admin, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upload, read, count and preview: {upload.Elapsed.TotalSeconds:0.0} s"));

        BackgroundJob job;
        await using (var db = await app.Db(ct)) job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Kind == ImportJob.JobKind, ct);
        // Wall time and this process's CPU time: on a shared machine the second says what the import itself costs.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var run = Stopwatch.StartNew();
        await services.GetRequiredService<ImportJob>().Run(job, ct);
        run.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var result = (await services.GetRequiredService<GetImport>().Handle(preview.Import.Id, admin, ct))!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {o.Provider} | {result.TotalRows:N0} | {run.Elapsed.TotalSeconds:0.0} s | {result.TotalRows / run.Elapsed.TotalSeconds:N0} rows/s | " +
            $"{cpu.TotalSeconds:0.0} s CPU ({result.TotalRows / cpu.TotalSeconds:N0} rows per CPU-second) | " +
            $"created {result.Created:N0}, skipped {result.Skipped:N0}, invalid {result.Invalid:N0} |"));
    }

    // Generated people written as a CSV (UTF-8 with BOM, like Excel's "CSV UTF-8").
    private static byte[] Csv(int rows, int seed, int branchId, int ownerId)
    {
        var random = new Random(seed);
        var text = new StringBuilder("نام,نام خانوادگی,موبايل,ایمیل,کد ملی,تاریخ تولد,شهر,برچسب\r\n");
        foreach (var p in People.Generate(rows, seed, [branchId, branchId, branchId], [(ownerId, 0), (ownerId, 1), (ownerId, 2)]))
        {
            var c = p.Contact;
            var mobile = c.Points.First(x => x.Kind == ContactPointKind.Mobile).Value;
            var email = c.Points.FirstOrDefault(x => x.Kind == ContactPointKind.Email)?.Value ?? "";
            var birth = c.BirthDate is { } b ? Jalali.Format(b, persianDigits: random.Next(4) == 0) : "";
            var persian = random.Next(5) == 0; // some rows typed on a Persian keyboard layout with Arabic letters and digits
            string Typed(string? s) => persian ? (s ?? "").Replace('ی', 'ي').Replace('ک', 'ك') : s ?? "";
            var phone = persian ? PersianText.ToPersianDigits($"{mobile[..4]} {mobile[4..7]} {mobile[7..]}") : mobile;
            text.Append(CultureInfo.InvariantCulture, $"{Typed(c.FirstName)},{Typed(c.LastName)},{phone},{email},{c.NationalCode},{birth},{c.City},\"{string.Join("، ", c.Tags.Select(t => t.Name))}\"\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
