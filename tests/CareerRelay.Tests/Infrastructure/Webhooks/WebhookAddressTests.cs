using System.Net;
using WebhookAddress = CareerRelay.Web.Infrastructure.Webhooks.WebhookOutbox;

namespace CareerRelay.Tests.Infrastructure.Webhooks;

/// <summary>
/// Which addresses may receive webhooks — the rule applied when an endpoint is registered and again when the dispatcher connects.
/// An IPv6 address that carries an IPv4 one is judged by the IPv4 address it reaches.
/// </summary>
public sealed class WebhookAddressTests
{
    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]       // NAT64 to the metadata service
    [InlineData("::a9fe:a9fe")]              // IPv4-compatible
    [InlineData("::ffff:0:a9fe:a9fe")]       // SIIT
    [InlineData("2002:a9fe:a9fe::")]         // 6to4
    [InlineData("2001:0:a9fe:a9fe::1")]      // Teredo server
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // Teredo client 169.254.169.254, stored inverted
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("64:ff9b::a9fe:1")]          // link-local through NAT64
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")]
    public void MetadataLinkLocalAndNonUnicast_AreRefused_EvenWhenPrivateNetworksAreAllowed(string address) =>
        Assert.NotNull(WebhookAddress.RefusalFor(IPAddress.Parse(address), allowPrivate: true));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:0:7f00:1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b::c0a8:101")]
    [InlineData("2002:0a00:0001::")]
    [InlineData("::0.0.0.2")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fec0::1")]
    [InlineData("64:ff9b:1::a00:1")]         // NAT64 for local use
    public void LoopbackAndPrivate_AreRefusedByDefault_AndAllowedWhenConfigured(string address)
    {
        Assert.NotNull(WebhookAddress.RefusalFor(IPAddress.Parse(address), allowPrivate: false));
        Assert.Null(WebhookAddress.RefusalFor(IPAddress.Parse(address), allowPrivate: true));
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("2001:db8::10")]
    [InlineData("64:ff9b::cb00:710a")]       // NAT64 to a public address
    [InlineData("2002:cb00:710a::1")]        // 6to4 from a public address
    [InlineData("2606:4700::1111")]
    public void PublicAddresses_MayReceiveWebhooks(string address) =>
        Assert.Null(WebhookAddress.RefusalFor(IPAddress.Parse(address), allowPrivate: false));
}
