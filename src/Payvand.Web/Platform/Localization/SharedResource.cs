namespace Payvand.Platform.Localization;

// Marker for the one resource file pair (Resources/SharedResource.resx and .fa.resx) that holds every UI string.
public sealed class SharedResource;
