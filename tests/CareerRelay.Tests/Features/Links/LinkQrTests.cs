using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Links;

/// <summary>
/// QR codes for print: every relay link and every referrer link as SVG and PNG from the console, each decoding — with a real
/// decoder, zbar's zbarimg — back to exactly its public address; another company's link is not theirs to print.
/// </summary>
public abstract partial class LinkQrTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task RelayAndReferrerLinks_DownloadAsSvgAndPng_ThatDecodeToTheirAddress()
    {
        var admin = $"{ApiClient.Unique("hr")}@qr-co.example.jp";
        var company = await _api.CreateCompanyAsync("株式会社キューアール", admin);
        var (_, link) = await _api.PostAsync("/api/v1/company/links", new { label = "合同説明会" }, company.Key);
        var (console, _) = await SignInAsync(app, admin);
        var linkId = link!["id"]!.GetValue<string>();
        var page = await console.GetStringAsync("/console/links");
        Assert.Contains($"/console/links/{linkId}/qr.png", page);

        Assert.Equal(link["url"]!.GetValue<string>(), await DecodeAsync(console, $"/console/links/{linkId}/qr.png"));
        Assert.Equal(link["url"]!.GetValue<string>(), await DecodeAsync(console, $"/console/links/{linkId}/qr.svg"));

        page = await (await console.PostAsync("/console/referrals/programmes", Form(await console.GetStringAsync("/console/referrals"),
            ("name", "社員紹介"), ("recognition", "thanks")))).Content.ReadAsStringAsync();
        var programme = Regex.Match(page, "data-programme-id=\"([^\"]+)\"").Groups[1].Value;
        page = await (await console.PostAsync("/console/referrals/referrers", Form(page, ("programmeId", programme), ("type", "school"), ("name", "キャリアセンター")))).Content.ReadAsStringAsync();
        var referrerUrl = WebUtility.HtmlDecode(Regex.Match(page, "value=\"([^\"]*)\" data-field=\"referralLink\"").Groups[1].Value);
        var referrerId = Regex.Match(await console.GetStringAsync("/console/referrals"), "data-referrer-id=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(referrerUrl, await DecodeAsync(console, $"/console/referrals/referrers/{referrerId}/qr.png"));
        Assert.Equal(referrerUrl, await DecodeAsync(console, $"/console/referrals/referrers/{referrerId}/qr.svg"));

        // A source's code carries its ?src= (so the poster at the fair counts as the fair); a source the link does not list is refused.
        await _api.SendAsync(HttpMethod.Patch, $"/api/v1/company/links/{linkId}", new { sources = new[] { "job-fair" } }, company.Key);
        Assert.Equal(link["url"]!.GetValue<string>() + "?src=job-fair", await DecodeAsync(console, $"/console/links/{linkId}/qr.png?src=job-fair"));
        Assert.Equal(link["url"]!.GetValue<string>() + "?src=job-fair", await DecodeAsync(console, $"/console/links/{linkId}/qr.svg?src=job-fair"));
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/links/{linkId}/qr.png?src=tv")).StatusCode);

        // Another company's admin: no such link for them.
        var other = $"{ApiClient.Unique("hr")}@other-qr.example.jp";
        await _api.CreateCompanyAsync("株式会社よそ", other);
        var (otherConsole, _) = await SignInAsync(app, other);
        Assert.Equal(HttpStatusCode.NotFound, (await otherConsole.GetAsync($"/console/links/{linkId}/qr.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherConsole.GetAsync($"/console/referrals/referrers/{referrerId}/qr.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/links/{linkId}/qr.gif")).StatusCode);
    }

    /// <summary>Downloads the code and reads it with zbarimg: the PNG as it is, the SVG drawn module by module into a PGM image.</summary>
    private async Task<string> DecodeAsync(HttpClient console, string path)
    {
        var response = await console.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var file = Path.Combine(app.Directory, $"qr-{Guid.NewGuid():N}");
        if (path.Split('?')[0].EndsWith(".png", StringComparison.Ordinal))
        {
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            await File.WriteAllBytesAsync(file += ".png", await response.Content.ReadAsByteArrayAsync());
        }
        else
        {
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
            await File.WriteAllBytesAsync(file += ".pgm", Rasterise(await response.Content.ReadAsStringAsync()));
        }
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", file]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("zbarimg did not start (Debian: zbar-tools; .ci/run installs it).");
        var text = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        Assert.True(zbar.ExitCode == 0, $"zbarimg could not read {path}");
        return text.Trim();
    }

    /// <summary>
    /// The SVG drawn as the image a printer would make: its black path's runs (<c>M x y h w v h …</c>, in modules of its
    /// viewBox) onto a white canvas, eight pixels a module, as a binary PGM (a format zbarimg reads).
    /// </summary>
    private static byte[] Rasterise(string svg)
    {
        const int Scale = 8;
        var size = SvgSize().Match(svg);
        Assert.True(size.Success, "The SVG states no viewBox.");
        var (width, height) = (int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) * Scale, int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture) * Scale);
        var pixels = Enumerable.Repeat((byte)255, width * height).ToArray();
        var path = BlackPath().Match(svg);
        Assert.True(path.Success, "The SVG has no black path.");
        var runs = Run().Matches(path.Groups[1].Value);
        Assert.NotEmpty(runs);
        foreach (Match r in runs)
        {
            int V(string g) => int.Parse(r.Groups[g].Value, CultureInfo.InvariantCulture) * Scale;
            var (x, y, w, h) = (V("x"), V("y"), V("w"), V("h"));
            for (var row = y; row < Math.Min(y + h, height); row++)
                for (var col = x; col < Math.Min(x + w, width); col++)
                    pixels[row * width + col] = 0;
        }
        return [.. Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n"), .. pixels];
    }

    [GeneratedRegex(@"viewBox=""0 0 (\d+) (\d+)""")] private static partial Regex SvgSize();
    [GeneratedRegex(@"<path fill=""#000000"" d=""([^""]+)""")] private static partial Regex BlackPath();
    [GeneratedRegex(@"M(?<x>\d+) (?<y>\d+)h(?<w>\d+)v(?<h>\d+)")] private static partial Regex Run();
}

public sealed class LinkQrTestsOnSqlite(SqliteApp app) : LinkQrTests(app), IClassFixture<SqliteApp>;
public sealed class LinkQrTestsOnPostgres(PostgresApp app) : LinkQrTests(app), IClassFixture<PostgresApp>;
