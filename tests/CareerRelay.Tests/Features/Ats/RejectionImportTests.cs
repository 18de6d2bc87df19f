using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Features.Ats;

/// <summary>An app with extra column names configured for imports (Imports:HeaderAliases).</summary>
public class ImportApp(Provider provider) : CareerRelayApp(provider)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Imports:HeaderAliases:email:0"] = "連絡先メール",
        ["Imports:HeaderAliases:name:0"] = "候補者",
    };
}
public sealed class ImportSqliteApp() : ImportApp(Provider.Sqlite);
public sealed class ImportPostgresApp() : ImportApp(Provider.Postgres);

/// <summary>CSV import of rejected applicants from Japanese ATS exports: both encodings, broken rows, preview, idempotent re-import.</summary>
public abstract class RejectionImportTests(ImportApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> ImportAsync(string key, string fixture, string query = "", bool multipart = false, string? acceptLanguage = null)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Features", "Ats", "Fixtures", fixture));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/company/ats/imports" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        if (multipart)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", fixture);
            request.Content = form;
        }
        else request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private static Dictionary<string, string> StatusByApplication(JsonNode result) =>
        result["items"]!.AsArray().Where(i => i!["applicationId"] is not null)
            .ToDictionary(i => i!["applicationId"]!.GetValue<string>(), i => i!["status"]!.GetValue<string>());

    [Fact]
    public async Task DryRun_OfAUtf8BomExport_PreviewsEveryRow_AndWritesNothing()
    {
        var company = await _api.CreateCompanyAsync();
        var (status, preview) = await ImportAsync(company.Key, "rejected-utf8-bom.csv", "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(preview!["dryRun"]!.GetValue<bool>());
        Assert.Equal("utf-8", preview["encoding"]!.GetValue<string>());
        Assert.Equal("メールアドレス", preview["columns"]!["email"]!.GetValue<string>());
        var rows = StatusByApplication(preview);
        Assert.Equal("invite", rows["A-001"]);
        Assert.Equal("no_invitation", rows["A-002"]);  // 辞退
        Assert.Equal("skipped", rows["A-003"]);        // 内定: not a rejection (and the quoted comma kept the columns)
        Assert.Equal("error", rows["A-004"]);          // bad address
        Assert.Equal("error", rows["A-005"]);          // 2026/13/45
        Assert.Equal("no_invitation", rows["A-006"]);  // came through an agency
        Assert.Equal("error", rows["A-007"]);          // too few columns
        Assert.Equal("invite", rows["A-008"]);         // a line break inside a quoted field
        Assert.Equal(2, preview["invitations"]!.GetValue<int>());
        Assert.Equal(3, preview["errors"]!.GetValue<int>());
        var badRow = preview["items"]!.AsArray().First(i => i!["applicationId"]?.GetValue<string>() == "A-004")!;
        Assert.Equal(5, badRow["line"]!.GetValue<int>());
        Assert.Contains(badRow["messages"]!.AsArray(), m => m!.GetValue<string>().Contains("メールアドレス"));

        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        Assert.Equal(0, await app.WithDbAsync(db => db.AtsEvents.CountAsync(e => e.CompanyId == company.Id)));

        // The notes follow Accept-Language.
        var (_, english) = await ImportAsync(company.Key, "rejected-utf8-bom.csv", "?dryRun=true", acceptLanguage: "en-US");
        var englishRow = english!["items"]!.AsArray().First(i => i!["applicationId"]?.GetValue<string>() == "A-004")!;
        Assert.Equal("The email address is not valid.", englishRow["messages"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_InvitesAndMailsTheValidRows_ListsTheBrokenOnes_AndImportingAgainChangesNothing()
    {
        var company = await _api.CreateCompanyAsync();
        var (status, result) = await ImportAsync(company.Key, "rejected-utf8-bom.csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, result!["invitations"]!.GetValue<int>());
        Assert.Equal(2, result["mails"]!.GetValue<int>());
        Assert.Equal(3, result["errors"]!.GetValue<int>());

        var mail = await app.Mail.WaitForAsync("taro.import@example.jp");
        Assert.Contains("山田 太郎 様", mail.Body);
        await app.Mail.WaitForAsync("nanako.import@example.jp");
        Assert.DoesNotContain(app.Mail.All(), m => m.To is "ichiro.import@example.jp" or "goro.import@example.jp" or "jiro.import@example.jp");
        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));

        var (_, again) = await ImportAsync(company.Key, "rejected-utf8-bom.csv");
        Assert.Equal(0, again!["invitations"]!.GetValue<int>());
        Assert.Equal(4, again["alreadyImported"]!.GetValue<int>());
        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        Assert.Equal(2, await app.WithDbAsync(db => db.EntrustedMails.CountAsync(m => m.CompanyId == company.Id)));
    }

    [Fact]
    public async Task ShiftJisExport_UploadedAsAForm_IsDetected_AndItsNamesSurviveIntact()
    {
        var company = await _api.CreateCompanyAsync();
        var (status, result) = await ImportAsync(company.Key, "rejected-shift_jis.csv", multipart: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("shift_jis", result!["encoding"]!.GetValue<string>());
        Assert.Equal(2, result["invitations"]!.GetValue<int>());
        Assert.Equal(1, result["errors"]!.GetValue<int>());
        Assert.Contains("髙橋 一郎 様", (await app.Mail.WaitForAsync("ichiro.sjis@example.jp")).Body);
        Assert.Contains("﨑山 花子 様", (await app.Mail.WaitForAsync("hanako.sjis@example.jp")).Body);
    }

    [Fact]
    public async Task ConfiguredAliases_NameTheCompanysOwnColumns()
    {
        var company = await _api.CreateCompanyAsync();
        var (status, result) = await ImportAsync(company.Key, "rejected-custom-headers.csv", "?lang=en");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("連絡先メール", result!["columns"]!["email"]!.GetValue<string>());
        var mail = await app.Mail.WaitForAsync("jane.alias@example.com");
        Assert.Contains("Dear Jane Doe,", mail.Body);
    }

    [Fact]
    public async Task AFileWithoutAnAddressOrApplicationColumn_OrEmpty_Answers400()
    {
        var company = await _api.CreateCompanyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/company/ats/imports")
        {
            Content = new StringContent("foo,bar\n1,2\n", System.Text.Encoding.UTF8, "text/csv"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", company.Key);
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("validation_failed", await response.Content.ReadAsStringAsync());

        using var empty = new HttpRequestMessage(HttpMethod.Post, "/api/v1/company/ats/imports") { Content = new ByteArrayContent([]) };
        empty.Headers.Authorization = new AuthenticationHeaderValue("Bearer", company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.Http.SendAsync(empty)).StatusCode);

        var (badFlag, _) = await ImportAsync(company.Key, "rejected-utf8-bom.csv", "?dryRun=perhaps");
        Assert.Equal(HttpStatusCode.BadRequest, badFlag);
        Assert.Equal(0, await app.WithDbAsync(db => db.AtsEvents.CountAsync(e => e.CompanyId == company.Id)));
    }
}

public sealed class RejectionImportTestsOnSqlite(ImportSqliteApp app) : RejectionImportTests(app), IClassFixture<ImportSqliteApp>;
public sealed class RejectionImportTestsOnPostgres(ImportPostgresApp app) : RejectionImportTests(app), IClassFixture<ImportPostgresApp>;
