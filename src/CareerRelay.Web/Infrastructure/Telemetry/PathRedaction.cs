using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace CareerRelay.Web.Infrastructure.Telemetry;

/// <summary>
/// Paths may hold secrets and identifiers (a relay link's token, a sign-in link, a LINE user id in LINE's API, a webhook
/// receiver's own token): a span keeps the route template of a request and only the scheme and host of an outgoing call.
/// The query string is already redacted by the instrumentations.
/// </summary>
public static class PathRedaction
{
    public static void Redact(Activity activity, HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.SetTag("url.path", route is null ? "(unmatched)" : "/" + route.TrimStart('/'));
    }

    public static void RedactOutgoing(Activity activity)
    {
        if (activity.GetTagItem("url.full") is string full && Uri.TryCreate(full, UriKind.Absolute, out var uri))
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
