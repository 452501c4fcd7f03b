using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payvand.Modules.Messaging.Templates;

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.ToTable("MessageTemplates");
        b.Property(t => t.Name).HasMaxLength(MessageTemplate.NameLength);
        b.Property(t => t.Channel).HasMaxLength(20);
        b.Property(t => t.Subject).HasMaxLength(MessageTemplate.SubjectLength);
        b.Property(t => t.Body).HasMaxLength(MessageTemplate.BodyLength);
        b.Property(t => t.HtmlBody).HasMaxLength(MessageTemplate.HtmlLength);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasIndex(t => new { t.Channel, t.Name });
    }
}
