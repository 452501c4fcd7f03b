using System.IO.Compression;
using System.Xml;

namespace Payvand.Modules.Imports;

// An XLSX file is a zip of XML parts, and ClosedXML unpacks and loads every part of it into memory: a 1 MB file
// holding one 1 GB cell took the server from 0.7 to 2.8 GB before it was refused. Before ClosedXML opens a file, its
// parts are measured without keeping them: the sizes the zip declares (their sum, and how many times larger than the
// file they are), then the parts unpacked as a stream, which must not unpack to more than they declared (a zip may
// lie), while the rows' cells of the sheets are counted. A problem is an English text (a resource key) and its values.
public static class XlsxGuard
{
    public sealed record Limits(long MaxUnpackedBytes, int MaxRatio, long MaxCells)
    {
        // A sheet of 100,000 rows of 20 columns and its shared strings unpack to well under 256 MB; ClosedXML needs a
        // few hundred bytes of memory per cell. Larger files are imported as CSV, which is read as a stream.
        public static readonly Limits Default = new(256L * 1024 * 1024, 100, 2_000_000);

        public static Limits From(IConfiguration configuration) => new(
            configuration.GetValue("Payvand:Imports:XlsxMaxUnpackedMb", Default.MaxUnpackedBytes / (1024 * 1024)) * 1024 * 1024,
            configuration.GetValue("Payvand:Imports:XlsxMaxRatio", Default.MaxRatio),
            configuration.GetValue("Payvand:Imports:XlsxMaxCells", Default.MaxCells));
    }

    public sealed record Problem(string Text, params object[] Values);

    // Files that unpack to less than this are not held to the ratio: a small sheet of empty rows compresses very well.
    private const long RatioFloor = 10L * 1024 * 1024;

    public static Problem? Check(byte[] content, Limits limits) => Check(new MemoryStream(content, writable: false), limits);

    // content: the file, seekable (a zip is read from its directory at the end).
    public static Problem? Check(Stream content, Limits limits)
    {
        var length = content.Length;
        using var zip = new ZipArchive(content, ZipArchiveMode.Read);
        long declared = 0;
        foreach (var entry in zip.Entries) declared += entry.Length;
        var megabytes = limits.MaxUnpackedBytes / (1024 * 1024);
        if (declared > limits.MaxUnpackedBytes) return TooLarge(megabytes);
        if (declared > RatioFloor && declared / Math.Max(length, 1) > limits.MaxRatio) return Compressed(limits.MaxRatio);

        try
        {
            return CountCells(zip, limits.MaxCells);
        }
        catch (Exception e) when (e is LyingZipException or InvalidDataException or XmlException)
        {
            // .NET stops a part at the size it declares, so a part that declares less than it holds ends mid-XML.
            return new Problem("The Excel file is damaged and cannot be read. Save it again in Excel, or save it as CSV.");
        }
    }

    private static Problem? CountCells(ZipArchive zip, long maxCells)
    {
        long cells = 0;
        foreach (var entry in zip.Entries)
        {
            using var part = new CountingStream(entry.Open(), entry.Length);
            if (!IsSheet(entry.FullName))
            {
                part.CopyTo(Stream.Null);
                continue;
            }

            using var xml = XmlReader.Create(part, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true });
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c") continue;
                if (++cells > maxCells) return new Problem("The Excel file has more than {0} cells. Save it as CSV, or split it into smaller files.", maxCells);
            }

            part.CopyTo(Stream.Null); // what follows the sheet's root element counts too
        }

        return null;
    }

    // A part that unpacks to more than the zip declared for it: the file is damaged or built to exhaust the server.
    private sealed class LyingZipException() : IOException("A part of the zip unpacks to more than it declares.");

    private static Problem TooLarge(long megabytes) =>
        new("The Excel file unpacks to more than {0} MB. Save it as CSV, or split it into smaller files.", megabytes);

    private static Problem Compressed(int ratio) =>
        new("The Excel file unpacks to more than {0} times its size, as a file built to exhaust the server does. It was not read.", ratio);

    private static bool IsSheet(string name) =>
        name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);

    // Reads a part as it unpacks, throwing once it yields more than declared.
    private sealed class CountingStream(Stream inner, long declared) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            read += n;
            if (read > declared) throw new LyingZipException();
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
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
