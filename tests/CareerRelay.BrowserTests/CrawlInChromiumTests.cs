using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// Every page of every role, in every state the world holds, as its people see it: each role signs in, every page reachable from
/// its navigation (and each detail page linked from those) is opened on a phone (390×844) and a laptop (1280×800), in Japanese
/// and in English. On each: no 5xx, no raw JSON, no empty body, no sideways scroll on a phone, no serious or critical axe-core
/// violation, no developer English on a Japanese page. Then every form is submitted as it stands (past the browser's own checks)
/// and must end on a page that says what happened. Screenshots of all of it land in the test's folder (and, with
/// CAREERRELAY_SCREENSHOTS, the main ones in docs/screenshots).
/// </summary>
public sealed partial class CrawlInChromiumTests(BrowserApp app) : InChromium(app)
{
    private sealed record Role(string Name, string[] Start, Func<string, bool> InScope, string[]? ExpectedStatus = null);

    private static readonly (int Width, int Height)[] Viewports = [(390, 844), (1280, 800)];
    private static readonly string[] Languages = ["ja", "en"];
    private const int MaxPerPattern = 10;

    /// <summary>Forms the crawl does not submit: they end a session, destroy or hand over something, or answer a file.</summary>
    private static readonly string[] NotSubmitted =
        ["signout", "/erase", "/remove", "/reset-two-factor", "/revoke", "/rotate", "/withdraw", "/leave", "/invitations", "/close", "/cancel"];

    [Fact]
    public async Task EveryPageOfEveryRole_InBothLanguages_OnAPhoneAndALaptop_ReadsRight_AndEveryFormSaysWhatHappened()
    {
        var world = await World.BuildAsync(App);
        var today = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);

        var roles = new (Role Role, Func<IPage, Task> SignIn)[]
        {
            (new Role("visitor", ["/", $"/r/{world.Token}", $"/r/{world.Token}?src=job-fair", $"/r/{world.Token}/sent", "/signin", "/me", "/operator/signin", $"/ref/{world.ReferralToken}",
                world.ReferrerStatusUrl, $"/a/{world.AlumniToken}", $"/c/{World.Slug}", "/companies", "/no-such-page", "/verify/unknownverificationcode0000"],
                path => !Regex.IsMatch(path, "^/(console|agency|admin|api|openapi|assets|healthz)") && !Regex.IsMatch(path, "^/operator/(?!signin)") && !path.StartsWith("/me/", StringComparison.Ordinal),
                ["/no-such-page", "/verify/unknownverificationcode0000"]),
                _ => Task.CompletedTask),
            (new Role("company", ["/console"], path => path.StartsWith("/console", StringComparison.Ordinal)),
                page => SignInFromMailAsync(page, World.CompanyContact, "/signin", "/console")),
            (new Role("agency", ["/agency"], path => path.StartsWith("/agency", StringComparison.Ordinal) || path.StartsWith("/console/security", StringComparison.Ordinal)),
                page => SignInFromMailAsync(page, World.AgencyContact, "/signin", "/agency")),
            (new Role("school", ["/school"], path => path.StartsWith("/school", StringComparison.Ordinal) || path.StartsWith("/console/security", StringComparison.Ordinal)),
                page => SignInFromMailAsync(page, World.SchoolContact, "/signin", "/school")),
            (new Role("provider", ["/provider"], path => path.StartsWith("/provider", StringComparison.Ordinal) || path.StartsWith("/console/security", StringComparison.Ordinal)),
                page => SignInFromMailAsync(page, World.ProviderContact, "/signin", "/provider")),
            (new Role("candidate", ["/me"], path => path == "/me"),
                page => SignInFromMailAsync(page, World.PersonEmail, "/me", "/me")),
            (new Role("operator", ["/operator", $"/operator/audit?candidateId={world.PersonId}&from={today}&to={today}", $"/operator/provisions?from={today}&to={today}",
                $"/admin?from={today}&to={today}"], path => path.StartsWith("/operator", StringComparison.Ordinal) || path.StartsWith("/admin", StringComparison.Ordinal)),
                async page =>
                {
                    await page.GotoAsync(App.BaseUrl + "/operator/signin");
                    await page.FillAsync("#key", BrowserApp.OperatorKey);
                    await page.ClickAsync("button[type=submit]");
                    await page.ArriveAtAsync(new Regex("/operator(\\?.*)?$"));
                }),
        };

        var failures = new List<string>();
        var visits = 0;
        var shots = Path.Combine(App.Directory, "crawl");
        Directory.CreateDirectory(shots);
        foreach (var (role, signIn) in roles)
        {
            // Sign in once; every other context of the role starts from the same cookies.
            await using var first = await Accessibility.NewCheckingContextAsync(browser, 1280, 800);
            var signingIn = await first.NewPageAsync();
            signingIn.SetDefaultTimeout(90_000);
            await signIn(signingIn);
            var state = await first.StorageStateAsync();

            var pages = await DiscoverAsync(first, role);
            Assert.True(pages.Count >= role.Start.Length, $"{role.Name}: found {pages.Count} pages");
            foreach (var (width, height) in Viewports)
                foreach (var lang in Languages)
                {
                    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
                    {
                        BypassCSP = true, Locale = lang == "ja" ? "ja-JP" : "en-GB", ViewportSize = new ViewportSize { Width = width, Height = height },
                        StorageState = state,
                    });
                    var page = await context.NewPageAsync();
                    page.SetDefaultTimeout(90_000);
                    foreach (var path in pages)
                    {
                        visits++;
                        var url = WithLang(path, lang);
                        var problems = await CheckAsync(page, App.BaseUrl + url, lang, width, role.ExpectedStatus?.Contains(path) == true);
                        failures.AddRange(problems.Select(p => $"{role.Name} {width}px {lang} {url}: {p}"));
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, ShotName(role.Name, path, lang, width)), FullPage = true });
                    }
                }
            failures.AddRange(await SubmitEveryFormAsync(browser, state, role, pages));
        }

        CopyDocumentationScreenshots(shots);
        Assert.True(failures.Count == 0, $"{failures.Count} problems in {visits} visits:\n" + string.Join("\n", failures.Distinct().Take(150)));
        Assert.True(visits > 200, $"Only {visits} page visits.");
    }

    /// <summary>The role's pages: its start pages and every same-site link within its part of the site, followed to the end.</summary>
    private async Task<List<string>> DiscoverAsync(IBrowserContext context, Role role)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        var found = new List<string>();
        var queue = new Queue<string>(role.Start);
        var seen = new HashSet<string>(role.Start);
        var perPattern = new Dictionary<string, int>();
        while (queue.Count > 0 && found.Count < 120)
        {
            var path = queue.Dequeue();
            found.Add(path);
            var response = await page.GotoAsync(App.BaseUrl + path);
            if (response is null || !(response.Headers.TryGetValue("content-type", out var type) && type.StartsWith("text/html", StringComparison.Ordinal))) continue;
            var hrefs = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "els => els.map(e => e.href)");
            foreach (var href in hrefs)
            {
                if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || !href.StartsWith(App.BaseUrl, StringComparison.Ordinal)) continue;
                var next = WithoutLang(uri.PathAndQuery);
                if (!role.InScope(uri.AbsolutePath) || IsDownload(uri.AbsolutePath) || !seen.Add(next)) continue;
                // Detail pages of one kind (a candidate, a job): enough of them to meet each state the world holds, not all twenty.
                var pattern = Regex.Replace(next, "[0-9a-f]{32}", "{id}");
                if ((perPattern[pattern] = perPattern.GetValueOrDefault(pattern) + 1) > MaxPerPattern) continue;
                queue.Enqueue(next);
            }
        }
        await page.CloseAsync();
        return found;
    }

    private static bool IsDownload(string path) =>
        path.EndsWith(".csv", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith("/resume", StringComparison.Ordinal)
        || path.EndsWith(".svg", StringComparison.Ordinal) || path.EndsWith(".png", StringComparison.Ordinal) || path.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>One visit and everything a person would notice that is wrong with it.</summary>
    private static async Task<List<string>> CheckAsync(IPage page, string url, string lang, int width, bool errorPageExpected)
    {
        var problems = new List<string>();
        var response = await page.GotoAsync(url);
        if (response is null) return ["no response"];
        if (response.Status >= 500) problems.Add($"answered {response.Status}");
        else if (response.Status >= 400 && !errorPageExpected) problems.Add($"answered {response.Status} (a broken link)");
        var type = response.Headers.TryGetValue("content-type", out var t) ? t : "";
        if (!type.StartsWith("text/html", StringComparison.Ordinal)) return [.. problems, $"answered {type}, not a page"];
        var seen = await ReadAsync(page);
        var full = seen.GetProperty("full").GetString()!.Trim();
        if (full.Length == 0) problems.Add("an empty page");
        if (RawJson().IsMatch(full)) problems.Add("raw JSON");
        if (seen.GetProperty("lang").GetString() != lang) problems.Add($"<html lang> is {seen.GetProperty("lang").GetString()}");
        if (width < 500 && seen.GetProperty("scrollWidth").GetInt32() > seen.GetProperty("innerWidth").GetInt32())
            problems.Add($"scrolls sideways: {seen.GetProperty("scrollWidth").GetInt32()}px wide ({seen.GetProperty("widest").GetString()})");
        if (lang == "ja" && DeveloperEnglish().Match(seen.GetProperty("prose").GetString()!) is { Success: true } english)
            problems.Add($"developer English on a Japanese page: “{english.Value}”");
        try
        {
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the page");
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            problems.Add(ex.Message.Replace("\n", " | "));
        }
        return problems;
    }

    /// <summary>
    /// Submits every form of the role's pages once, as it stands — past the browser's own checks, so the server's are what
    /// answers — and asks of the page it ends on what a person asks: did it work, and if not, why?
    /// </summary>
    private async Task<List<string>> SubmitEveryFormAsync(IBrowser browser, string state, Role role, IReadOnlyList<string> pages)
    {
        var failures = new List<string>();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BypassCSP = true, Locale = "ja-JP", ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, StorageState = state,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        var submitted = new HashSet<string>();
        foreach (var path in pages)
        {
            // One form at a time, from a fresh copy of the page: a submission may change which forms the page has.
            while (true)
            {
                var response = await page.GotoAsync(App.BaseUrl + path);
                if (response is null || !response.Headers.TryGetValue("content-type", out var type) || !type.StartsWith("text/html", StringComparison.Ordinal)) break;
                var actions = await page.EvalOnSelectorAllAsync<string[]>("form", "forms => forms.map(f => f.method.toLowerCase() === 'post' ? new URL(f.action).pathname : '')");
                var i = Array.FindIndex(actions, a => a.Length > 0 && !NotSubmitted.Any(a.Contains) && !submitted.Contains(Regex.Replace(a, "/[0-9a-f]{32}", "/{id}")));
                if (i < 0) break;
                var action = actions[i];
                submitted.Add(Regex.Replace(action, "/[0-9a-f]{32}", "/{id}"));
                // The document the submission ends on (after any redirect).
                IResponse? answer;
                try
                {
                    answer = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync($"() => {{ const f = document.forms[{i}]; setTimeout(() => HTMLFormElement.prototype.submit.call(f), 0); }}"),
                        r => r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Status is not (301 or 302 or 303 or 307),
                        new PageRunAndWaitForResponseOptions { Timeout = 20_000 });
                }
                catch (TimeoutException)
                {
                    answer = null;
                }
                var problems = new List<string>();
                if (answer is null) problems.Add("no page came back");
                else
                {
                    if (answer.Status >= 500) problems.Add($"answered {answer.Status}");
                    var seen = await ReadAsync(page);
                    if (RawJson().IsMatch(seen.GetProperty("full").GetString()!.Trim())) problems.Add("raw JSON");
                    if (!seen.GetProperty("says").GetBoolean()) problems.Add("the page it ends on does not say what happened");
                    if (DeveloperEnglish().Match(seen.GetProperty("prose").GetString()!) is { Success: true } english) problems.Add($"developer English: “{english.Value}”");
                    await page.ScreenshotAsync(new PageScreenshotOptions
                    {
                        Path = Path.Combine(App.Directory, "crawl", ShotName(role.Name + "-submit", action, "ja", 1280)), FullPage = true,
                    });
                }
                failures.AddRange(problems.Select(p => $"{role.Name} submitting {action} on {path}: {p}"));
            }
        }
        return failures;
    }

    /// <summary>Reads the page once the document a navigation brought has settled (a submission may still be committing).</summary>
    private static async Task<JsonElement> ReadAsync(IPage page)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await page.SettleAsync();
                return await page.EvaluateAsync<JsonElement>(ReadPage);
            }
            catch (PlaywrightException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>What the checks read: the text, the text a person reads as prose (not code, inputs or English passages), the width.</summary>
    private const string ReadPage = """
        () => {
          const prose = document.body.cloneNode(true);
          prose.querySelectorAll('code, pre, textarea, input, select, script, style, svg, [lang=en], .secret, .mail-body').forEach(e => e.remove());
          let widest = '';
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed') { widest = e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + (e.id ? '#' + e.id : ''); break; }
          }
          return {
            full: document.body.innerText, prose: prose.innerText, lang: document.documentElement.lang,
            scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, widest,
            says: !!document.querySelector('[role=status], [role=alert], .field-error'),
          };
        }
        """;

    private static string WithLang(string path, string lang) =>
        lang == "ja" ? path : path + (path.Contains('?') ? "&" : "?") + "lang=en";

    private static string WithoutLang(string pathAndQuery)
    {
        var cleaned = Regex.Replace(pathAndQuery, "([?&])lang=[^&]*&?", "$1").TrimEnd('?', '&');
        return cleaned.Length == 0 ? "/" : cleaned;
    }

    private static string ShotName(string role, string path, string lang, int width) =>
        $"{role}{Regex.Replace(path, "[^A-Za-z0-9]+", "-").TrimEnd('-')}.{lang}.{width}.png";

    /// <summary>The pages docs/screenshots shows (ja, laptop unless the page is a phone's), from the crawl's shot name to the docs name.</summary>
    private static readonly (string Shot, string Name)[] DocumentedPages =
    [
        ("visitor.ja.1280.png", "home.ja.png"), ("visitor.en.390.png", "home.en.phone.png"),
        ("company-console.ja.1280.png", "console-dashboard.ja.png"), ("company-console.en.390.png", "console-dashboard.en.phone.png"),
        ("company-console-links.ja.1280.png", "console-links.ja.png"),
        ("company-console-jobs.ja.1280.png", "console-jobs.ja.png"), ("company-console-ledger.ja.1280.png", "console-ledger.ja.png"),
        ("company-console-reports.ja.1280.png", "console-reports.ja.png"), ("company-console-referrals.ja.1280.png", "console-referrals.ja.png"),
        ("company-console-network.ja.1280.png", "console-network.ja.png"), ("company-console-integrations.ja.1280.png", "console-integrations.ja.png"),
        ("company-console-users.ja.1280.png", "console-users.ja.png"), ("company-console-keys.ja.1280.png", "console-keys.ja.png"),
        ("company-console-roi.ja.1280.png", "console-roi.ja.png"), ("company-console-templates.ja.1280.png", "console-templates.ja.png"),
        ("company-console-security.ja.1280.png", "console-security.ja.png"),
        ("company-console-alumni.ja.1280.png", "console-alumni.ja.png"), ("company-console-profile.ja.1280.png", "console-profile.ja.png"),
        ("visitor-c-crawl-shoji.ja.390.png", "company-public.ja.phone.png"), ("visitor-c-crawl-shoji.en.1280.png", "company-public.en.png"),
        ("visitor-companies.ja.1280.png", "companies.ja.png"),
        ("company-console-experiments.ja.1280.png", "console-experiments.ja.png"), ("company-console-links.ja.390.png", "console-links.ja.phone.png"),
        ("operator-operator-holds.ja.1280.png", "operator-holds.ja.png"), ("operator-operator-holds.en.390.png", "operator-holds.en.phone.png"),
        ("agency-agency.ja.1280.png", "agency-dashboard.ja.png"), ("agency-agency-board.ja.1280.png", "agency-board.ja.png"),
        ("agency-agency-candidates.ja.1280.png", "agency-candidates.ja.png"), ("agency-agency-redemptions.ja.1280.png", "agency-redemptions.ja.png"),
        ("agency-agency-follow-ups.ja.1280.png", "agency-follow-ups.ja.png"), ("agency-agency-disclosures.ja.1280.png", "agency-disclosures.ja.png"),
        ("candidate-me.ja.390.png", "candidate-me.ja.png"), ("candidate-me.en.1280.png", "candidate-me.en.png"),
        ("operator-operator.ja.1280.png", "operator-notice.ja.png"), ("visitor-no-such-page.ja.390.png", "error-404.ja.png"),
        ("school-school.ja.1280.png", "school-outcomes.ja.png"), ("school-school.en.390.png", "school-outcomes.en.phone.png"),
        ("provider-provider.ja.1280.png", "provider-dashboard.ja.png"), ("provider-provider-courses.ja.1280.png", "provider-courses.ja.png"),
        ("provider-provider-requests.ja.1280.png", "provider-requests.ja.png"), ("provider-provider-courses.en.390.png", "provider-courses.en.phone.png"),
    ];

    /// <summary>Pages whose address carries an id: the first one the crawl reached stands for them.</summary>
    private static readonly (string Prefix, string Name)[] DocumentedPagesById =
    [
        ("agency-agency-candidates-", "agency-candidate.ja.png"), ("agency-agency-jobs-", "agency-matches.ja.png"),
        ("visitor-r-", "landing.ja.png"), ("operator-operator-audit-", "operator-audit.ja.png"), ("operator-operator-provisions-", "operator-provisions.ja.png"),
        ("operator-admin-", "operator-network.ja.png"), ("company-console-redemptions-new-", "console-spend-slot.ja.png"),
        ("agency-agency-placements-", "agency-placement.ja.png"), ("visitor-agencies-", "agency-disclosure-public.ja.png"),
        ("visitor-a-", "alumni-join.ja.png"), ("company-console-experiments-0", "console-experiment.ja.png"),
        ("operator-operator-holds-0", "operator-hold.ja.png"),
    ];

    /// <summary>The docs/screenshots names the crawl writes; a journey test's shot of the same page stays in its own folder.</summary>
    public static readonly IReadOnlySet<string> DocumentedNames = DocumentedPages.Select(p => p.Name).Concat(DocumentedPagesById.Select(p => p.Name)).ToHashSet();

    /// <summary>Refreshes docs/screenshots when CAREERRELAY_SCREENSHOTS is set.</summary>
    private static void CopyDocumentationScreenshots(string shots)
    {
        if (Environment.GetEnvironmentVariable("CAREERRELAY_SCREENSHOTS") is not { Length: > 0 } docs) return;
        Directory.CreateDirectory(docs);
        foreach (var (shot, name) in DocumentedPages)
        {
            var from = Path.Combine(shots, shot);
            if (File.Exists(from)) File.Copy(from, Path.Combine(docs, name), overwrite: true);
        }
        foreach (var (prefix, name) in DocumentedPagesById)
            if (Directory.GetFiles(shots, prefix + "*.ja.1280.png").OrderBy(f => f.Length).FirstOrDefault() is { } found)
                File.Copy(found, Path.Combine(docs, name), overwrite: true);
    }

    [GeneratedRegex(@"^\s*[\{\[]\s*""[^""]+""\s*:")] private static partial Regex RawJson();
    /// <summary>What a developer writes and a Japanese reader should never see: English validation phrases, field names with a colon, exceptions.</summary>
    [GeneratedRegex(@"\b(Must (not|be)|This field|is required|Give (the|an?|a list)|Choose one|Unknown \w+|not valid JSON|Exception|Stack ?trace|Object reference)\b|\b[a-z]+[A-Z][A-Za-z]*\s?:")]
    private static partial Regex DeveloperEnglish();
}
