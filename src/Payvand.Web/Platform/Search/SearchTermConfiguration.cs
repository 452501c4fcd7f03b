using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Platform.Search;

internal sealed class SearchTermConfiguration : IEntityTypeConfiguration<SearchTerm>
{
    public void Configure(EntityTypeBuilder<SearchTerm> b)
    {
        // Prefix search is a range scan (term >= 'abc' and term < 'abd'); the column compares byte-wise (SQLite's
        // default BINARY; PayvandDb sets the "C" collation on PostgreSQL) so the index serves it on both databases.
        b.Property(t => t.Term).HasMaxLength(100);
        b.Property(t => t.Entity).HasMaxLength(20);
        b.Property(t => t.SortKey).HasMaxLength(210);
        // One term's holders in list order (and a prefix's terms in term order): (Entity, Term, SortKey, RecordId).
        b.HasIndex(t => new { t.Entity, t.Term, t.SortKey, t.RecordId });
        b.HasIndex(t => new { t.Entity, t.RecordId, t.Term });
    }
}
