using System.Net;
using System.Text;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Reliability;

/// <summary>
/// R5 for the pages: every browser form route the app serves (read from its routing table), posted by the person it is for —
/// signed in, with a valid anti-forgery token, so each handler's own checks run — with NUL bytes, invalid UTF-8, a broken
/// multipart body, an oversized body, text over every field's own limit and missing fields. Always a page a person can read (4xx, or a redirect / 2xx where the
/// input happens to be acceptable), never a 5xx, never problem JSON; no business table gains rows beyond such successes.
/// </summary>
public abstract class FuzzEveryFormRouteTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static readonly string[] LongFields =
    [
        "name", "nameKana", "email", "phone", "label", "title", "description", "note", "notes", "comment", "message", "thanks", "textJa", "textEn",
        "senderName", "skills", "desiredOccupation", "careerSummary", "excludedCompanies", "externalRefs", "url", "work0.company", "work0.title",
        "work0.description", "recognition", "secret", "value", "companyName", "hiringCompanyName",
    ];

    private static readonly (string Name, Func<HttpContent> Body)[] Bodies =
    [
        ("NUL", () => Form("name=%00&email=%00%40x.example&title=%00&label=%00&note=%00&textJa=%00&textEn=%00&url=%00&stage=%00&type=%00")),
        ("invalid UTF-8", () => Form("name=%FF%FE%FD&email=%C3%28%40x&title=%E2%82&label=%F0%9F&description=%ED%A0%80&key=%80")),
        ("missing fields", () => Form("")),
        ("oversized", () => Form("name=" + new string('あ', 700_000))),
        ("wrong types", () => Form("count=many&salaryMin=lots&yearsRequired=-5&pointsPerReferral=1e99&startDate=tomorrow&score=11&jobId[]=x")),
        ("broken multipart", () =>
        {
            var content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nno end", Encoding.ASCII);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            return content;
        }),
        // Under the body limit, over every text field's own: each must be refused with its message, not cut, not a database error.
        ("long text", () => Form(string.Join('&', LongFields.Select(f => $"{f}={Uri.EscapeDataString(new string('長', 5000))}")))),
        ("JSON as a form", () => new StringContent("{\"name\":\"\\u0000\"}", Encoding.UTF8, "application/json")),
    ];

    private static readonly string[] RouteValues = ["0199aaaaaaaa7000800000000000000a", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--"];

    [Fact]
    public async Task EveryFormRoute_PostedByItsOwnUser_WithHostileBodies_AnswersAPage_NeverA5xx_AndHalfWritesNothing()
    {
        // The people the forms are for, each signed in as a browser is (cookie + anti-forgery token of their session).
        var hrEmail = $"{ApiClient.Unique("fuzzhr")}@fuzz-co.example.jp";
        var staffEmail = $"{ApiClient.Unique("fuzzstaff")}@fuzz-agency.example.jp";
        var company = await _api.CreateCompanyAsync(contactEmail: hrEmail);
        var agency = await _api.CreateAgencyAsync(contactEmail: staffEmail);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "fuzz" }, company.Key)).Body!["token"]!.GetValue<string>();
        var person = $"{ApiClient.Unique("fuzzperson")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, person, agency.Id);
        var sessions = new Dictionary<string, (HttpClient Browser, string Token)>
        {
            ["/console"] = await WithTokenAsync((await SignInAsync(app, hrEmail)).Browser, "/console"),
            ["/agency"] = await WithTokenAsync((await SignInAsync(app, staffEmail, "/agency")).Browser, "/agency"),
            ["/me"] = await WithTokenAsync(await CandidateAsync(app, _api, person), "/me"),
            ["/operator"] = await WithTokenAsync(await OperatorAsync(app), "/operator"),
        };
        sessions["/admin"] = sessions["/operator"];
        var anonymous = (Browser(app), "");

        var routes = ServedRoutes.Of(app).Where(r => r.Method == "POST" && !r.IsMachine && !r.Pattern.Contains("signout", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count > 40, $"Only {routes.Count} form routes found.");
        var before = await BusinessRows.CountAsync(app);
        var failures = new List<string>();
        var accepted = 0;
        var requests = 0;
        foreach (var route in routes)
        {
            var (browser, antiforgery) = sessions.FirstOrDefault(s => route.Pattern.StartsWith(s.Key + "/", StringComparison.Ordinal) || route.Pattern == s.Key).Value;
            if (browser is null || route.Pattern.StartsWith("/me/{", StringComparison.Ordinal)) (browser, antiforgery) = anonymous;
            var paths = route.HasParameters
                ? RouteValues.Select(v => System.Text.RegularExpressions.Regex.Replace(route.Pattern, @"\{[^}]+\}", v)).ToList()
                : [route.Pattern.Replace("{token}", token, StringComparison.Ordinal)];
            foreach (var path in paths)
                foreach (var (name, body) in Bodies)
                {
                    requests++;
                    using var content = body();
                    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
                    if (antiforgery.Length > 0) request.Headers.Add("RequestVerificationToken", antiforgery);
                    using var response = await browser.SendAsync(request);
                    var status = (int)response.StatusCode;
                    var type = response.Content.Headers.ContentType?.MediaType;
                    var text = await response.Content.ReadAsStringAsync();
                    if (status >= 500) failures.Add($"{path} ({name}) → {status}");
                    else if (status >= 400 && type != "text/html") failures.Add($"{path} ({name}) → {status} {type ?? "with no body"}, not a page");
                    else if (text.TrimStart().StartsWith('{')) failures.Add($"{path} ({name}) → problem JSON on a page");
                    else if (status < 400) accepted++;
                }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed a person:\n" + string.Join("\n", failures.Take(40))
            + "\n" + string.Join("\n", app.Logs.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(3)));
        var after = await BusinessRows.CountAsync(app);
        Assert.All(after, t => Assert.InRange(t.Value - before[t.Key], 0, accepted));
    }

    /// <summary>The session's anti-forgery token, read from one of its pages (sent as a header: the body is the hostile part).</summary>
    private static async Task<(HttpClient, string)> WithTokenAsync(HttpClient browser, string page) =>
        (browser, FormToken(await browser.GetStringAsync(page)));

    private static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");
}

public sealed class FuzzEveryFormRouteTestsOnSqlite(SqliteApp app) : FuzzEveryFormRouteTests(app), IClassFixture<SqliteApp>;
public sealed class FuzzEveryFormRouteTestsOnPostgres(PostgresApp app) : FuzzEveryFormRouteTests(app), IClassFixture<PostgresApp>;
