using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payvand.Platform.Data;

namespace Payvand.Platform.Jobs;

// A megabyte of a stored file's content. An uploaded import file (up to Payvand:Imports:MaxUploadMb, 200 MB) is
// written and read in chunks, so that neither the upload, the preview nor the import holds the whole file in memory:
// a 1M-row people CSV is 74 MB. A file without chunks keeps its content in StoredFile.Content (exports, and uploads
// stored before chunks).
public sealed class StoredFileChunk
{
    public const int Size = 1024 * 1024;

    public long Id { get; set; }

    public int FileId { get; set; }

    public int Index { get; set; }

    public byte[] Data { get; set; } = [];
}

internal sealed class StoredFileChunkConfiguration : IEntityTypeConfiguration<StoredFileChunk>
{
    public void Configure(EntityTypeBuilder<StoredFileChunk> b)
    {
        b.HasIndex(c => new { c.FileId, c.Index }).IsUnique();
        b.HasOne<StoredFile>().WithMany().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

// Writes a file's content as chunks and reads it back as a stream.
public static class StoredFileContent
{
    // Copies the content into chunks of the file (saved, in the caller's transaction if any), a chunk at a time.
    public static async Task Write(PayvandDb db, int fileId, Stream content, CancellationToken ct)
    {
        var buffer = new byte[StoredFileChunk.Size];
        for (var index = 0; ; index++)
        {
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (read == 0) return;
            db.Add(new StoredFileChunk { FileId = fileId, Index = index, Data = buffer[..read] });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            if (read < buffer.Length) return;
        }
    }

    // The file's content, read a chunk at a time with a context of its own (or its Content when it has no chunks). The
    // stream holds one chunk at a time: the one being read.
    public static Stream Open(IDbContextFactory<PayvandDb> dbFactory, int fileId) => new ChunkStream(dbFactory.CreateDbContext, ownsDb: true, fileId);

    // The same through the caller's context, which stays the caller's: read inside the caller's transaction, the file
    // needs no connection of its own (the purchase import's look-ahead reads while its batch holds one).
    public static Stream Open(PayvandDb db, int fileId) => new ChunkStream(() => db, ownsDb: false, fileId);

    private sealed class ChunkStream(Func<PayvandDb> context, bool ownsDb, int fileId) : Stream
    {
        private PayvandDb? db;
        private byte[] chunk = [];
        private int offset;
        private int next;
        private bool ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (offset == chunk.Length)
            {
                if (ended) return 0;
                db ??= context();
                var index = next++;
                var data = db.Set<StoredFileChunk>().AsNoTracking().Where(c => c.FileId == fileId && c.Index == index).Select(c => c.Data).FirstOrDefault();
                if (data is null)
                {
                    // No chunk: the end, or a file kept whole (its content is the only "chunk").
                    ended = true;
                    if (index > 0) return 0;
                    data = db.StoredFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => f.Content).FirstOrDefault() ?? [];
                }

                (chunk, offset) = (data, 0);
            }

            var n = Math.Min(buffer.Length, chunk.Length - offset);
            chunk.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && ownsDb) db?.Dispose();
            base.Dispose(disposing);
        }
    }
}
