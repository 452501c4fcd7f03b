using Payvand.Modules.Contacts;
using Payvand.Platform.Data;
using Payvand.Platform.Persian;

namespace Payvand.Modules.Companies;

// A company or organisation (شرکت / سازمان) that people work for and that may buy as a customer itself.
public sealed class Company : ICustomerRecord<CompanyTag>, IVersioned
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public string SortName { get; set; } = "";

    // شناسه ملی (11 digits) for Iranian legal entities.
    public string? NationalId { get; set; }

    public string? EconomicCode { get; set; }

    public string? Industry { get; set; }

    public string? Website { get; set; }

    public string? Address { get; set; }

    public string? City { get; set; }

    public string? Province { get; set; }

    public RecordSource Source { get; set; }

    public LifecycleStage Lifecycle { get; set; } = LifecycleStage.Lead;

    public int? OwnerId { get; set; }

    public int BranchId { get; set; }

    public List<CompanyPoint> Points { get; set; } = [];

    public List<CompanyTag> Tags { get; set; } = [];

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? DeletedAt { get; set; }

    public void Touch() => SortName = PersianText.Normalize(Name);
}

public sealed class CompanyPoint : RecordPoint;

public sealed class CompanyTag : RecordTag;
