using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Payvand.Platform.Audit;
using Payvand.Platform.Auth;

namespace Payvand.Platform.Data;

// Drops control characters from stored text (StoredText), stamps timestamps and versions, and writes the audit trail (who, when, which fields from what to what)
// in the same transaction as the change itself.
public sealed class PayvandSaveChangesInterceptor(TimeProvider clock, CurrentUserAccessor currentUser) : SaveChangesInterceptor
{
    private static readonly HashSet<string> SecretFields = new(StringComparer.Ordinal)
    {
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
        nameof(AppUser.NormalizedEmail), nameof(AppUser.NormalizedUserName), nameof(AppUser.AccessFailedCount),
        nameof(PersonalAccessToken.Hash),
    };

    // The annotation of a column derived from others (a search key): its changes are theirs, so it is not audited.
    public const string NotAudited = "Payvand:NotAudited";

    private readonly Dictionary<DbContext, Pending> pending = [];

    // Whether a column's values go into the audit trail (also BulkInsert.NewRecordAudit's rule): not secrets, keys,
    // stamps, columns kept by set-based updates elsewhere (a person's purchase summary) or derived ones (NotAudited).
    public static bool IsAudited(IReadOnlyProperty property) =>
        !SecretFields.Contains(property.Name) && !property.IsShadowProperty() && !property.IsPrimaryKey()
        && !(property.GetBeforeSaveBehavior() == PropertySaveBehavior.Ignore && property.GetAfterSaveBehavior() == PropertySaveBehavior.Ignore)
        && property.Name is not (nameof(ITimestamped.CreatedAt) or nameof(ITimestamped.UpdatedAt) or nameof(IVersioned.Version))
        && property.FindAnnotation(NotAudited)?.Value is not true;
    private readonly Lock gate = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var db = eventData.Context;
        if (db is null) return result;
        StoredText.Clean(db.ChangeTracker.Entries()); // before the audit trail, which then records what is stored
        lock (gate)
        {
            if (pending.ContainsKey(db)) return result; // the audit rows' own save
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = currentUser.User;
        var added = new List<(EntityEntry Entry, AuditEntry Audit)>();
        var entries = db.ChangeTracker.Entries().ToList();
        foreach (var entry in entries)
        {
            Stamp(entry, now);
        }

        foreach (var entry in entries)
        {
            var audit = Describe(entry, now, user);
            if (audit is not null) audit.IpAddress = currentUser.IpAddress;
            if (audit is null) continue;
            if (entry.State == EntityState.Added && entry.Entity is IAudited)
            {
                added.Add((entry, audit));
            }
            else
            {
                db.Add(audit);
            }
        }

        if (added.Count == 0) return result;

        // New records get their ids from the database, so their audit rows are written right after, in one transaction.
        IDbContextTransaction? tx = null;
        if (db.Database.CurrentTransaction is null)
        {
            tx = await db.Database.BeginTransactionAsync(cancellationToken);
        }

        lock (gate)
        {
            pending[db] = new Pending(added, tx);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var db = eventData.Context;
        Pending? work;
        lock (gate)
        {
            if (db is null || !pending.TryGetValue(db, out work) || work.Saving) return result;
            work.Saving = true;
        }

        try
        {
            foreach (var (entry, audit) in work.Added)
            {
                audit.EntityId = ((IAudited)entry.Entity).Id.ToString(CultureInfo.InvariantCulture);
                db.Add(audit);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (work.Transaction is not null) await work.Transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (work.Transaction is not null) await work.Transaction.DisposeAsync();
            lock (gate)
            {
                pending.Remove(db);
            }
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        var db = eventData.Context;
        Pending? work;
        lock (gate)
        {
            if (db is null || !pending.Remove(db, out work)) return;
        }

        if (work.Transaction is not null)
        {
            await work.Transaction.RollbackAsync(cancellationToken);
            await work.Transaction.DisposeAsync();
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        throw new InvalidOperationException("Use SaveChangesAsync: the audit trail is written asynchronously.");

    private static void Stamp(EntityEntry entry, DateTime now)
    {
        if (entry.Entity is ITimestamped stamped)
        {
            if (entry.State == EntityState.Added)
            {
                stamped.CreatedAt = now;
                stamped.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                stamped.UpdatedAt = now;
            }
        }

        if (entry.Entity is IVersioned versioned && entry.State == EntityState.Modified)
        {
            versioned.Version++;
        }
    }

    private static AuditEntry? Describe(EntityEntry entry, DateTime now, UserScope? user)
    {
        if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) return null;

        var (owner, prefix) = OwnerOf(entry);
        if (owner is null) return null;
        var changes = new List<FieldChange>();
        foreach (var property in entry.Properties)
        {
            if (!IsAudited(property.Metadata)) continue;
            var from = entry.State == EntityState.Added ? null : AuditValue.Text(property.OriginalValue);
            var to = entry.State == EntityState.Deleted ? null : AuditValue.Text(property.CurrentValue);
            if (entry.State == EntityState.Modified && (!property.IsModified || from == to)) continue;
            if (from is null && to is null) continue;
            changes.Add(new FieldChange(prefix + property.Metadata.Name, from, to));
        }

        if (entry.State == EntityState.Added && prefix.Length == 0) changes.AddRange(OwnedValues(entry));
        if (changes.Count == 0 && entry.State == EntityState.Modified) return null;

        var action = entry.State switch
        {
            EntityState.Added when prefix.Length == 0 => AuditAction.Create,
            EntityState.Deleted when prefix.Length == 0 => AuditAction.Delete,
            _ => AuditAction.Update,
        };
        if (entry.Entity is ISoftDeletable && entry.State == EntityState.Modified && entry.Property(nameof(ISoftDeletable.DeletedAt)).IsModified)
        {
            action = ((ISoftDeletable)entry.Entity).DeletedAt is null ? AuditAction.Update : AuditAction.Delete;
        }

        return new AuditEntry
        {
            At = now,
            UserId = user is { UserId: > 0 } ? user.UserId : null,
            UserName = user?.UserName,
            Action = action,
            EntityType = owner.Value.Type,
            EntityId = owner.Value.Id,
            Changes = JsonSerializer.Serialize(changes, AuditJson.Options),
        };
    }

    // A new record's owned rows (phones, tags, preferences) belong in its creation entry: they have no id of their own yet.
    private static IEnumerable<FieldChange> OwnedValues(EntityEntry owner)
    {
        foreach (var navigation in owner.Navigations)
        {
            if (navigation.Metadata is not Microsoft.EntityFrameworkCore.Metadata.INavigation { TargetEntityType: var target } || !target.IsOwned()) continue;
            var items = navigation.CurrentValue switch
            {
                null => [],
                System.Collections.IEnumerable list => list.Cast<object>(),
                var single => [single],
            };
            foreach (var item in items)
            {
                foreach (var property in owner.Context.Entry(item).Properties)
                {
                    if (property.Metadata.IsShadowProperty() || property.Metadata.IsPrimaryKey() || property.CurrentValue is null) continue;
                    if (property.CurrentValue is Enum e && Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0) continue;
                    yield return new FieldChange($"{navigation.Metadata.Name}.{property.Metadata.Name}", null, AuditValue.Text(property.CurrentValue));
                }
            }
        }
    }

    // Owned and child rows (a person's phones, tags, preferences) are audited as changes of their owner.
    private static ((string Type, string? Id)? Owner, string Prefix) OwnerOf(EntityEntry entry)
    {
        if (entry.Entity is IAudited audited)
        {
            var id = entry.State == EntityState.Added ? null : audited.Id.ToString(CultureInfo.InvariantCulture);
            return ((entry.Metadata.ClrType.Name, id), "");
        }

        var ownership = entry.Metadata.FindOwnership();
        if (ownership is null || !typeof(IAudited).IsAssignableFrom(ownership.PrincipalEntityType.ClrType)) return (null, "");
        var fk = ownership.Properties[0];
        var ownerId = entry.Property(fk.Name).CurrentValue ?? entry.Property(fk.Name).OriginalValue;
        var ownerIdText = ownerId is int i && i > 0 ? i.ToString(CultureInfo.InvariantCulture) : null;
        var navigation = ownership.PrincipalToDependent?.Name ?? entry.Metadata.ClrType.Name;
        return ownerIdText is null ? (null, "") : ((ownership.PrincipalEntityType.ClrType.Name, ownerIdText), navigation + ".");
    }

    private sealed class Pending(List<(EntityEntry Entry, AuditEntry Audit)> added, IDbContextTransaction? transaction)
    {
        public List<(EntityEntry Entry, AuditEntry Audit)> Added { get; } = added;

        public IDbContextTransaction? Transaction { get; } = transaction;

        public bool Saving { get; set; }
    }
}

public static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
