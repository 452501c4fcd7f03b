using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Modules.CustomFields;

internal sealed class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFieldDefinition> b)
    {
        b.Property(f => f.Key).HasMaxLength(50);
        b.Property(f => f.LabelFa).HasMaxLength(100);
        b.Property(f => f.LabelEn).HasMaxLength(100);
        b.Property(f => f.Version).IsConcurrencyToken();
        b.PrimitiveCollection(f => f.Choices);
        b.HasIndex(f => new { f.Target, f.Key }).IsUnique();
    }
}

internal sealed class CustomFieldValueConfiguration : IEntityTypeConfiguration<CustomFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomFieldValue> b)
    {
        b.Property(v => v.Text).HasMaxLength(500);
        b.Property(v => v.Number).HasPrecision(18, 4);
        b.HasIndex(v => new { v.Target, v.RecordId, v.FieldId }).IsUnique();
        b.HasIndex(v => new { v.FieldId, v.Text });
        b.HasIndex(v => new { v.FieldId, v.Number });
        b.HasIndex(v => new { v.FieldId, v.Date });
        b.HasOne<CustomFieldDefinition>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
    }
}
