namespace Payvand.Platform.Auth;

// The five roles. Admin sees everything; Marketing works company-wide; the others are limited to their branches.
public static class Roles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Sales = "Sales";
    public const string Marketing = "Marketing";
    public const string Support = "Support";

    public static readonly string[] All = [Admin, Manager, Sales, Marketing, Support];

    // Roles whose members see the records of every branch.
    public static readonly string[] AllBranches = [Admin, Marketing];
}
