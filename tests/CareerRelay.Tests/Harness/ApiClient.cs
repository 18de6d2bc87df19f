using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Harness;

/// <summary>Talks to the app over HTTP the way an integrator would, with helpers for the common setup steps.</summary>
public sealed class ApiClient(HttpClient http, CareerRelayApp app)
{
    public HttpClient Http { get; } = http;
    private static int _sequence;

    public sealed record Tenant(string Id, string Key);

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null, string? key = null,
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json") == true;
        return (response.StatusCode, isJson && text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, string? key = null) => SendAsync(HttpMethod.Get, path, null, key);
    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body, string? key = null) => SendAsync(HttpMethod.Post, path, body ?? new { }, key);
    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, object? body, string? key = null) => SendAsync(HttpMethod.Put, path, body, key);

    public static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<Tenant> CreateCompanyAsync(string? name = null, string? contactEmail = null)
    {
        var (status, body) = await PostAsync("/api/v1/admin/companies",
            new { name = name ?? Unique("株式会社テスト"), contactEmail = contactEmail ?? $"hr@{Unique("c")}.example.co.jp" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return new Tenant(body!["id"]!.GetValue<string>(), body["apiKey"]!.GetValue<string>());
    }

    public async Task<Tenant> CreateAgencyAsync(string? name = null, string? licenseExpiresOn = null, string? contactEmail = null)
    {
        var (status, body) = await PostAsync("/api/v1/admin/agencies", new
        {
            name = name ?? Unique("エージェント"),
            licenseNumber = "13-ユ-" + Random.Shared.Next(100000, 999999),
            contactEmail = contactEmail ?? $"{Unique("info")}@agency.example", // each agency its own first admin
            occupations = new[] { "営業", "ITエンジニア" },
            fees = "求職者は無料",
            complaintContact = "03-0000-0000",
            privacyPolicyUrl = "https://agency.example/privacy",
            licenseExpiresOn,
        }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return new Tenant(body!["id"]!.GetValue<string>(), body["apiKey"]!.GetValue<string>());
    }

    /// <summary>A company with its own partner agency and one link: the usual starting point.</summary>
    public async Task<(Tenant Company, Tenant Agency, string LinkId, string Token)> CreateRelayAsync(string? contactEmail = null)
    {
        var company = await CreateCompanyAsync(contactEmail: contactEmail);
        var agency = await CreateAgencyAsync();
        var (s1, _) = await PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        Assert.Equal(HttpStatusCode.OK, s1);
        var (s2, link) = await PostAsync("/api/v1/company/links", new { label = "2026 新卒" }, company.Key);
        Assert.Equal(HttpStatusCode.Created, s2);
        return (company, agency, link!["id"]!.GetValue<string>(), link["token"]!.GetValue<string>());
    }

    public async Task<int> NoticeVersionAsync(string token) =>
        (await GetAsync($"/api/v1/public/links/{token}")).Body!["notice"]!["version"]!.GetValue<int>();

    public Task<(HttpStatusCode Status, JsonNode? Body)> RegisterAsync(string token, string email, string agencyId, int noticeVersion = 1,
        string name = "山田 太郎", string? phone = null) =>
        PostAsync("/api/v1/public/registrations", new
        {
            token, name, email, nameKana = "ヤマダ タロウ", phone, prefecture = "13", desiredOccupation = "営業", skills = new[] { "法人営業", "Excel" },
            consent = new { noticeVersion, agencyIds = new[] { agencyId } },
        });

    /// <summary>Registers, reads the mailed link from the real .eml and confirms by POST.</summary>
    public async Task<string> RegisterAndVerifyAsync(string token, string email, string agencyId, string? phone = null, string name = "山田 太郎")
    {
        var address = CareerRelay.Web.Features.Registrations.PersonIdentity.NormaliseEmail(email);
        var earlier = app.Mail.All().Count(m => m.To == address);
        var (status, body) = await RegisterAsync(token, email, agencyId, await NoticeVersionAsync(token), name: name, phone: phone);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(address, earlier + 1));
        var (verified, _) = await PostAsync("/api/v1/public/verifications", new { code });
        Assert.Equal(HttpStatusCode.OK, verified);
        return body!["registrationId"]!.GetValue<string>();
    }

    /// <summary>Registers and confirms <paramref name="count"/> distinct people in parallel; returns their referral ids.</summary>
    public async Task<List<string>> QualifyAsync(string token, string agencyId, int count) =>
        [.. await Task.WhenAll(Enumerable.Range(0, count).Select(_ => RegisterAndVerifyAsync(token, $"{Unique("q")}@example.jp", agencyId)))];

    /// <summary>An open full-time sales job in Tokyo; returns its id.</summary>
    public async Task<string> CreateJobAsync(string companyKey)
    {
        var (status, job) = await PostAsync("/api/v1/company/jobs", new
        {
            title = "法人営業", description = "SaaSの法人営業", prefecture = "13", skills = new[] { "法人営業" },
            employmentType = "full_time", salaryMin = 4_000_000, salaryMax = 6_000_000,
        }, companyKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return job!["id"]!.GetValue<string>();
    }

    /// <summary>Asks for the candidate's sign-in link and reads its token from the real mail.</summary>
    public async Task<string> MeTokenAsync(string email)
    {
        var earlier = app.Mail.All().Count(m => m.To == email && m.Body.Contains("/me/", StringComparison.Ordinal));
        var (status, _) = await PostAsync("/api/v1/public/me/link", new { email });
        Assert.Equal(HttpStatusCode.Accepted, status);
        for (var i = 0; i < 400; i++)
        {
            var mails = app.Mail.All().Where(m => m.To == email && m.Body.Contains("/me/", StringComparison.Ordinal)).ToList();
            if (mails.Count > earlier) return System.Text.RegularExpressions.Regex.Match(mails[^1].Body, @"/me/([A-Za-z0-9_\-]+)").Groups[1].Value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No sign-in link mailed to {email}.");
    }

    public async Task<JsonNode> SummaryAsync(string companyKey)
    {
        var (status, body) = await GetAsync("/api/v1/company/summary", companyKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    public static int Int(JsonNode node, string field) => node[field]!.GetValue<int>();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
