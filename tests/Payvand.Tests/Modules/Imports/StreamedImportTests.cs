using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payvand.Modules.Imports;
using Payvand.Platform.Auth;
using Payvand.Platform.Jobs;
using Payvand.Tests.Infrastructure;
using static Payvand.Tests.Modules.Imports.ImportFiles;

namespace Payvand.Tests.Modules.Imports;

// The import job once copied the whole uploaded file into memory before its first batch (up to 200 MB). It streams the
// file from its chunks (StoredFileChunk): a chunk is read only when the rows before it are (nearly) written, so what the
// job holds of the file stays about two chunks, whatever its size.
[Trait("Category", "Integration")]
public sealed class StreamedImportTests(PayvandApp app) : IClassFixture<PayvandApp>
{
    private const int BatchSize = 50;

    // Notes, in order, each chunk of a file read and each batch the job writes (its report chunk).
    private sealed class Reads : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Note(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        private void Note(DbCommand command)
        {
            if (command.CommandText.Contains("FROM \"StoredFileChunk\"", StringComparison.Ordinal)) Events.Enqueue("chunk");
            else if (command.CommandText.Contains("INSERT INTO \"ImportReportChunks\"", StringComparison.Ordinal)) Events.Enqueue("batch");
        }
    }

    // A people CSV of about `bytes` bytes in rows of about 4 KB (a long note each), and where each row ends in the file.
    private static (byte[] Content, List<long> RowEnds) People(long bytes)
    {
        using var file = new MemoryStream();
        file.Write(Encoding.UTF8.GetBytes("نام,نام خانوادگی,موبایل,یادداشت\r\n"));
        var note = Encoding.UTF8.GetBytes(new string('ن', 2000) + "\r\n");
        var ends = new List<long>();
        while (file.Length < bytes)
        {
            file.Write(Encoding.UTF8.GetBytes($"سارا,جریان {ends.Count + 1},{NewMobile()},"));
            file.Write(note);
            ends.Add(file.Length);
        }

        return (file.ToArray(), ends);
    }

    [Fact]
    public async Task The_job_reads_the_file_chunk_by_chunk_as_its_batches_are_written()
    {
        var reads = new Reads();
        // A host whose batches are 50 rows (200 KB), noting the reads, with its own job runner off: this test plays the runner.
        await using var host = app.WithWebHostBuilder(b => b.UseSetting("Payvand:Imports:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ConfigureServices(s =>
            {
                s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner)));
                s.AddSingleton<IInterceptor>(reads);
            }));
        var client = await app.ClientAs("Sales");
        var (content, rowEnds) = People(5L * StoredFileChunk.Size + 1000);
        var chunks = (content.Length + StoredFileChunk.Size - 1) / StoredFileChunk.Size;
        var preview = await Uploaded(client, content, "stream.csv");

        BackgroundJob job;
        await using (var db = await app.Db())
        {
            var import = await db.Imports.SingleAsync(i => i.Id == preview.Import.Id);
            var user = await db.Users.SingleAsync(u => u.Id == import.CreatedById);
            var scope = new UserScope(user.Id, user.UserName!, new HashSet<string> { Roles.Sales }, new HashSet<int> { app.MainBranchId });
            job = app.Services.GetRequiredService<JobQueue>().Create(ImportJob.JobKind, new ImportJob.Payload(import.Id), scope);
            job.Status = JobStatus.Running;
            (job.LockToken, job.LockedUntil) = (Guid.NewGuid(), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1)); // claimed: this test is its runner
            job.Total = import.TotalRows;
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            import.JobId = job.Id;
            await db.SaveChangesAsync();
        }

        await host.Services.GetRequiredService<ImportJob>().Run(job, CancellationToken.None);

        await using (var db = await app.Db())
        {
            Assert.Equal(rowEnds.Count, await db.Imports.Where(i => i.Id == preview.Import.Id).Select(i => i.Created).SingleAsync());
        }

        // Each chunk is read once, in order (then one read finds the end); when a chunk is read, the job has written
        // the rows up to two chunks before it: the file read but not yet written is never more than two chunks.
        var events = reads.Events.ToList();
        Assert.Equal(chunks + 1, events.Count(e => e == "chunk"));
        Assert.Equal((rowEnds.Count + BatchSize - 1) / BatchSize, events.Count(e => e == "batch"));
        int read = 0, written = 0;
        foreach (var e in events)
        {
            if (e == "batch")
            {
                written = Math.Min(written + BatchSize, rowEnds.Count);
                continue;
            }

            var start = (long)read++ * StoredFileChunk.Size;
            var writtenUpTo = written == 0 ? 0 : rowEnds[written - 1];
            Assert.True(start - writtenUpTo <= 2L * StoredFileChunk.Size,
                $"Chunk {read - 1} (from byte {start:N0}) was read when the job had written the file only up to byte {writtenUpTo:N0}.");
        }
    }
}
