using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Infrastructure.Web;

/// <summary>
/// A browser request that fails gets a page a person can read — in the frame of the area they were in, in their language,
/// with a way back — never problem+json and never an empty body; the API keeps problem+json.
/// </summary>
public sealed class ErrorPagesTests(ErrorPagesApp app) : IClassFixture<ErrorPagesApp>
{
    private readonly ApiClient _api = app.Api();

    [Theory]
    [InlineData("/signin")]
    [InlineData("/me/link")]
    [InlineData("/operator/signin")]
    [InlineData("/r/{token}")]
    public async Task PublicForm_WithANulByteInAField_IsA400PageInJapanese_AndWritesNothing(string route)
    {
        var (_, _, _, token) = await _api.CreateRelayAsync();
        var before = await app.WithDbAsync(db => db.Registrations.CountAsync());
        var browser = Browser(app);
        using var content = new StringContent("email=%00%40x.example&name=%00", Encoding.ASCII, "application/x-www-form-urlencoded");
        var response = await browser.PostAsync(route.Replace("{token}", token, StringComparison.Ordinal), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertPageAsync(response, "送信された内容を読み取れませんでした");
        Assert.Equal(before, await app.WithDbAsync(db => db.Registrations.CountAsync()));
    }

    [Fact]
    public async Task BrokenMultipartBody_OnTheResumeUpload_IsA400Page_NotA500()
    {
        var email = $"{ApiClient.Unique("broken")}@example.jp";
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var browser = await CandidateAsync(app, _api, email);
        using var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"resume\"\r\n\r\nno end", Encoding.ASCII);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        var response = await browser.PostAsync("/me/resume", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertPageAsync(response, "マイページへ戻る");
    }

    [Fact]
    public async Task UnknownAddress_IsANotFoundPage_InTheVisitorsLanguage_WithAWayBack()
    {
        var browser = Browser(app);
        var ja = await browser.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, ja.StatusCode);
        var html = await AssertPageAsync(ja, "ページが見つかりません");
        Assert.Contains("href=\"/\"", html);

        var en = await browser.GetAsync("/no-such-page?lang=en");
        html = await AssertPageAsync(en, "Page not found");
        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("href=\"/?lang=en\"", html);
    }

    [Fact]
    public async Task SignedInCompanyUser_OnAConsoleAddressThatDoesNotExist_SeesTheNotFoundPageInTheConsoleFrame()
    {
        var contact = $"{ApiClient.Unique("hr")}@frame.example.jp";
        await _api.CreateCompanyAsync(contactEmail: contact);
        var (browser, _) = await SignInAsync(app, contact);
        var response = await browser.GetAsync("/console/integrations/imports");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await AssertPageAsync(response, "ページが見つかりません");
        Assert.Contains("<nav", html); // the console's own navigation and sign-out, not a bare page
        Assert.Contains(contact, html);
        Assert.Contains("href=\"/console\"", html);
    }

    [Theory]
    [InlineData("company", "/console/x/__fail", "ダッシュボードへ戻る", "href=\"/console\"")]
    [InlineData("agency", "/agency/x/__fail", "ダッシュボードへ戻る", "href=\"/agency\"")]
    [InlineData("candidate", "/me/x/__fail", "マイページへ戻る", "href=\"/me\"")]
    [InlineData("operator", "/operator/x/__fail", "運営ページへ戻る", "href=\"/operator\"")]
    [InlineData("visitor", "/r/x/__fail", "キャリアリレーのトップへ", "href=\"/\"")]
    [InlineData("visitor", "/console/x/__fail", "サインインのページへ", "href=\"/signin\"")]
    public async Task APageThatThrows_ShowsTheErrorPageOfItsArea_WithAReference_NotJson(string who, string path, string wayBack, string link)
    {
        var browser = await SignedInAsAsync(who);
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await AssertPageAsync(response, "エラーが発生しました");
        Assert.Contains(wayBack, html);
        Assert.Contains(link, html);
        Assert.Contains("問い合わせ番号", html);
        Assert.DoesNotContain("The failure the test asked for", html); // no exception text reaches the person
        if (who is "company" or "agency" or "operator") Assert.Contains("<nav", html); // the area's own frame
    }

    private async Task<HttpClient> SignedInAsAsync(string who)
    {
        switch (who)
        {
            case "company":
                var hr = $"{ApiClient.Unique("hr")}@frame.example.jp";
                await _api.CreateCompanyAsync(contactEmail: hr);
                return (await SignInAsync(app, hr)).Browser;
            case "agency":
                var staff = $"{ApiClient.Unique("staff")}@agency-frame.example.jp";
                await _api.CreateAgencyAsync(contactEmail: staff);
                return (await SignInAsync(app, staff, "/agency")).Browser;
            case "candidate":
                var (_, agency, _, token) = await _api.CreateRelayAsync();
                var email = $"{ApiClient.Unique("person")}@example.jp";
                await _api.RegisterAndVerifyAsync(token, email, agency.Id);
                return await CandidateAsync(app, _api, email);
            case "operator":
                return await OperatorAsync(app);
            default:
                return Browser(app);
        }
    }

    [Fact]
    public async Task TheApi_KeepsProblemJson_ForTheSameFailures()
    {
        var unknown = await _api.Http.GetAsync("/api/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        using var junk = new StringContent("{bad", Encoding.UTF8, "application/json");
        var bad = await _api.Http.PostAsync("/api/v1/public/registrations", junk);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }

    private static async Task<string> AssertPageAsync(HttpResponseMessage response, string expected)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart());
        Assert.Contains(expected, html);
        Assert.DoesNotContain("\"title\":", html);
        return html;
    }
}

/// <summary>The app, plus addresses that fail on purpose (<c>…/__fail</c>), to see what a person sees when a page throws.</summary>
public sealed class ErrorPagesApp() : CareerRelayApp(Provider.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, FailOnPurpose>());
    }

    private sealed class FailOnPurpose : IStartupFilter
    {
        // Added after the app's own pipeline: reached by addresses no endpoint serves, inside the app's exception handling.
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(http =>
            {
                if (http.Request.Path.Value!.EndsWith("/__fail", StringComparison.Ordinal)) throw new InvalidOperationException("The failure the test asked for.");
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        };
    }
}
