using System.Net;
using System.Text.RegularExpressions;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Brand;

/// <summary>
/// 採用ブランディング: a company's public page, its badge and the directory — only when the company says so, every figure about
/// people only from five, the profile's rules (slug, length, unique), and no database call per view.
/// </summary>
public abstract class BrandTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static string Slug() => ApiClient.Unique("co").ToLowerInvariant().Replace('_', '-');

    [Fact]
    public async Task Profile_IsValidated_ItsSlugIsUnique_AndAReadOnlyKeyCannotSetIt()
    {
        var company = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/v1/company/profile", company.Key)).Status);
        var (bad, problem) = await _api.PutAsync("/api/v1/company/profile", new { slug = "Sample Shoji!", message = new string('あ', 1001) }, company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["slug"]);
        Assert.NotNull(problem["errors"]!["message"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PutAsync("/api/v1/company/profile", new { slug = "ab" }, company.Key)).Status);

        var slug = Slug();
        var (ok, saved) = await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true, message = "ようこそ", showInDirectory = true }, company.Key);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.EndsWith($"/c/{slug}", saved!["url"]!.GetValue<string>());
        Assert.EndsWith($"/c/{slug}/badge.svg", saved["badgeUrl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true }, company.Key)).Status); // its own again

        var other = await _api.CreateCompanyAsync();
        var (taken, conflict) = await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true }, other.Key);
        Assert.Equal(HttpStatusCode.Conflict, taken);
        Assert.Equal("slug_taken", conflict!["code"]!.GetValue<string>());

        var (_, key) = await _api.PostAsync("/api/v1/company/keys", new { name = "read only", scope = "read" }, company.Key);
        var readOnly = key!["apiKey"]?.GetValue<string>() ?? key["key"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PutAsync("/api/v1/company/profile", new { slug = Slug() }, readOnly)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/profile", readOnly)).Status);
    }

    [Fact]
    public async Task PublicPage_ShowsOnlyWhenPublic_EachFigureOnlyFromFivePeople_AndTheBadgeToo()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var slug = Slug();
        await _api.PutAsync("/api/v1/company/profile", new { slug, @public = false, message = "不採用の方にも、次の一歩を。" }, company.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/c/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/c/{slug}/badge.svg")).StatusCode);
        Assert.Contains("ページが見つかりません", await (await _api.Http.GetAsync($"/c/{slug}")).Content.ReadAsStringAsync());

        await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true, message = "不採用の方にも、次の一歩を。" }, company.Key);
        await _api.QualifyAsync(token, agency.Id, 4);
        var page = await _api.Http.GetStringAsync($"/c/{slug}");
        Assert.Contains("不採用の方にも、次の一歩を。", page);
        foreach (var path in new[] { $"/c/{slug}", $"/c/{slug}/badge.svg", "/companies" }) // link checkers ask with HEAD first
            Assert.Equal(HttpStatusCode.OK, (await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        Assert.Matches("data-field=\"supported\">—<", page); // four people: not shown
        Assert.Contains("エージェント", page); // the partner agency's name (CreateAgencyAsync's default)
        var badge = await _api.Http.GetAsync($"/c/{slug}/badge.svg");
        Assert.Equal("image/svg+xml", badge.Content.Headers.ContentType!.MediaType);
        var svg = await badge.Content.ReadAsStringAsync();
        Assert.Contains("キャリアリレー参加企業", svg);
        Assert.DoesNotContain("人を支援", svg);
        System.Xml.Linq.XDocument.Parse(svg); // well-formed

        await _api.QualifyAsync(token, agency.Id, 1); // the fifth
        app.Clock.Advance(CareerRelay.Web.Features.Brand.PublicProfiles.Ttl + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () => (await _api.Http.GetStringAsync($"/c/{slug}")).Contains("data-field=\"supported\">5<"));
        Assert.Contains("5人を支援", await _api.Http.GetStringAsync($"/c/{slug}/badge.svg"));
        Assert.Contains("5 supported", await _api.Http.GetStringAsync($"/c/{slug}/badge.svg?lang=en"));
        Assert.Matches("data-field=\"placedElsewhere\">—<", await _api.Http.GetStringAsync($"/c/{slug}"));
        Assert.Contains("A CareerRelay company", await _api.Http.GetStringAsync($"/c/{slug}?lang=en"));
    }

    [Fact]
    public async Task Directory_ListsOnlyPublicCompaniesThatOptedIn_AndAProfileChangeShowsAtOnce()
    {
        var listed = await _api.CreateCompanyAsync("株式会社掲載あり");
        var unlisted = await _api.CreateCompanyAsync("株式会社掲載なし");
        var hidden = await _api.CreateCompanyAsync("株式会社非公開");
        var (a, b, c) = (Slug(), Slug(), Slug());
        await _api.PutAsync("/api/v1/company/profile", new { slug = a, @public = true, showInDirectory = true }, listed.Key);
        await _api.PutAsync("/api/v1/company/profile", new { slug = b, @public = true, showInDirectory = false }, unlisted.Key);
        await _api.PutAsync("/api/v1/company/profile", new { slug = c, @public = false, showInDirectory = true }, hidden.Key);
        var directory = await AllDirectoryAsync();
        Assert.Contains($"data-slug=\"{a}\"", directory);
        Assert.DoesNotContain($"data-slug=\"{b}\"", directory);
        Assert.DoesNotContain($"data-slug=\"{c}\"", directory);

        // Saved on this node: the next view has it, without waiting for the cache.
        await _api.PutAsync("/api/v1/company/profile", new { slug = a, @public = false, showInDirectory = true }, listed.Key);
        Assert.DoesNotContain($"data-slug=\"{a}\"", await AllDirectoryAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/c/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/companies?page=999")).StatusCode);
    }

    [Fact]
    public async Task AView_MakesNoDatabaseCall_OnceCached()
    {
        var company = await _api.CreateCompanyAsync();
        var slug = Slug();
        await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true, showInDirectory = true }, company.Key);
        await _api.Http.GetStringAsync($"/c/{slug}");
        await _api.Http.GetStringAsync("/companies");
        app.Commands.Table = "company_profiles"; // every uncached view starts there; no background job reads it
        var before = app.Commands.Seen;
        for (var i = 0; i < 20; i++)
        {
            await _api.Http.GetStringAsync($"/c/{slug}");
            await _api.Http.GetStringAsync($"/c/{slug}/badge.svg");
            await _api.Http.GetStringAsync("/companies");
        }
        Assert.Equal(before, app.Commands.Seen);
        await _api.PutAsync("/api/v1/company/profile", new { slug, @public = true, showInDirectory = true, message = "変更" }, company.Key);
        Assert.Contains("変更", await _api.Http.GetStringAsync($"/c/{slug}"));
        Assert.True(app.Commands.Seen > before, "The watch saw nothing: it would pass whatever the pages did.");
    }

    [Fact]
    public async Task Console_AdminEditsTheProfile_SeesThePreviewAndTheSnippets_AndAMistakeIsShownBesideItsField()
    {
        var admin = $"{ApiClient.Unique("hr")}@brand-co.example.jp";
        var company = await _api.CreateCompanyAsync("株式会社ブランド", admin);
        var (console, _) = await SignInAsync(app, admin);
        var page = await console.GetStringAsync("/console/profile");
        var refused = await console.PostAsync("/console/profile", Form(page, ("slug", "Bad Slug"), ("message", "こんにちは")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("半角英小文字・数字・ハイフン", html);
        Assert.Contains(">こんにちは</textarea>", html); // what they typed stays

        var slug = Slug();
        var saved = await console.PostAsync("/console/profile", Form(page, ("slug", slug), ("message", "ご応募ありがとうございました"), ("public", "on")));
        html = await saved.Content.ReadAsStringAsync();
        Assert.Contains("公開プロフィールを保存しました", html);
        Assert.Contains("data-field=\"preview\"", html);
        Assert.Contains($"/c/{slug}/badge.svg", html);
        Assert.Contains("ご応募ありがとうございました", await _api.Http.GetStringAsync($"/c/{slug}"));
        Assert.Equal(slug, (await _api.GetAsync("/api/v1/company/profile", company.Key)).Body!["slug"]!.GetValue<string>());

        // A member (not an admin) is not offered it, is turned away from it, and cannot change it.
        var member = await InviteMemberAsync(app, console, $"{ApiClient.Unique("member")}@brand-co.example.jp");
        var dashboard = await member.GetStringAsync("/console");
        Assert.DoesNotContain("/console/profile", dashboard);
        Assert.Equal(HttpStatusCode.Redirect, (await member.GetAsync("/console/profile")).StatusCode);
        await member.PostAsync("/console/profile", Form(dashboard, ("slug", Slug()), ("message", "乗っ取り")));
        Assert.Equal(slug, (await _api.GetAsync("/api/v1/company/profile", company.Key)).Body!["slug"]!.GetValue<string>());
    }

    private async Task<string> AllDirectoryAsync()
    {
        var all = "";
        for (var n = 1; n < 50; n++)
        {
            var html = await _api.Http.GetStringAsync($"/companies?page={n}");
            all += html;
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal)) break;
        }
        return all;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("The condition never held.");
    }
}

public sealed class BrandTestsOnSqlite(SqliteApp app) : BrandTests(app), IClassFixture<SqliteApp>;
public sealed class BrandTestsOnPostgres(PostgresApp app) : BrandTests(app), IClassFixture<PostgresApp>;
