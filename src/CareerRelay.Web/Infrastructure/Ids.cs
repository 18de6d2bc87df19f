namespace CareerRelay.Web.Infrastructure;

/// <summary>One place for identifiers: time-ordered (UUIDv7), so ids sort by creation and serve as list cursors.</summary>
public static class Ids
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
