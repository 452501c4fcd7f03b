namespace Payvand.Platform.Settings;

// One administrator setting, stored as JSON under a key (see PayvandSettings for the typed view).
public sealed class AppSetting
{
    public required string Key { get; set; }

    public required string Value { get; set; }
}
