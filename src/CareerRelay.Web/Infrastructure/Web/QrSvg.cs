using QRCoder;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>A QR code as inline SVG markup: no image request, no script, nothing for the CSP to allow.</summary>
public static class QrSvg
{
    public static string For(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(5, "#000000", "#ffffff", drawQuietZones: true);
    }
}
