using QRCoder;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>QR codes: inline SVG markup (no image request, no script, nothing for the CSP to allow), and files to download for print.</summary>
public static class QrSvg
{
    public static string For(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(5, "#000000", "#ffffff", drawQuietZones: true);
    }

    /// <summary>The same code as a PNG, 10 pixels a module: large enough to print on a poster or a flyer.</summary>
    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }

    /// <summary>A QR code of <paramref name="url"/> to download for print: <c>svg</c> or <c>png</c>, named <paramref name="name"/>.</summary>
    public static IResult Download(HttpContext http, string url, string format, string name)
    {
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{format}\"";
        http.Response.Headers.CacheControl = "no-store";
        return format == "png"
            ? Results.Bytes(Png(url), "image/png")
            : Results.Text(For(url), "image/svg+xml; charset=utf-8");
    }
}
