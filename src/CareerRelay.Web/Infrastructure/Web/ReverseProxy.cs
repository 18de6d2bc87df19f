using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// Behind nginx or a load balancer: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the
/// proxies named in <c>ReverseProxy:TrustedProxies</c> (addresses or CIDR networks; loopback is always trusted). Then
/// the per-IP rate limit and the fraud signals see the visitor's address, not the proxy's, and https stays https.
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration config)
    {
        var trusted = config.GetSection("ReverseProxy:TrustedProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            foreach (var entry in trusted.Select(t => t.Trim()).Where(t => t.Length > 0))
            {
                if (entry.Contains('/')) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                else o.KnownProxies.Add(IPAddress.Parse(entry));
            }
        });
        return services;
    }
}
