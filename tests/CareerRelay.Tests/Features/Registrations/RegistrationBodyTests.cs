using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// The registration route reads its JSON body itself, whole and in one pass (issue 23): what a client sends must be
/// answered as the framework's binding answered it — accepted in each form a client may send it, and refused with the
/// same problem+json codes, nothing written.
/// </summary>
public sealed class RegistrationBodyTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task ABody_WithAByteOrderMark_OrSplitAcrossManyBuffers_OrInLatin1_IsAccepted()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(token);

        var bom = await PostAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Body(token, notice, agency.Id, "bom"))], "application/json");
        Assert.Equal(HttpStatusCode.Accepted, bom.Status);

        // 200 KB of white space between the fields: the body arrives in many pieces.
        var padded = Body(token, notice, agency.Id, "padded").Replace(",", "," + new string(' ', 20_000), StringComparison.Ordinal);
        var split = await PostAsync(Encoding.UTF8.GetBytes(padded), "application/json");
        Assert.Equal(HttpStatusCode.Accepted, split.Status);

        // Another charset is decoded as the framework decodes it (a Latin-1 "é" in the name).
        var latin1 = await PostAsync(Encoding.Latin1.GetBytes(Body(token, notice, agency.Id, "latin1", name: "Zoé Martin")), "application/json; charset=iso-8859-1");
        Assert.Equal(HttpStatusCode.Accepted, latin1.Status);
        var registrationId = latin1.Body!["registrationId"]!.GetValue<string>();
        Assert.True(await app.WithDbAsync(db => db.Registrations.AnyAsync(r => r.Id == registrationId)));
    }

    [Theory]
    [InlineData("application/json", "null", 400, "validation_failed", "body")]
    [InlineData("application/json", "{\"token\":\"x\",\"consent\":{\"noticeVersion\":\"one\"}}", 400, "validation_failed", "consent.noticeVersion")]
    [InlineData("application/json", "{\"token\":\"x\"} trailing", 400, "validation_failed", "body")]
    [InlineData("application/json; charset=utf-8", "{\"token\":", 400, "validation_failed", "token")]
    public async Task ABodyThatIsNotARegistration_IsRefusedWithItsCode_AndNothingIsWritten(string contentType, string raw, int status, string code, string? field)
    {
        var before = await app.WithDbAsync(db => db.Registrations.CountAsync());
        var (answered, body) = await PostAsync(Encoding.UTF8.GetBytes(raw), contentType);
        Assert.Equal(status, (int)answered);
        Assert.Equal(code, body!["code"]!.GetValue<string>());
        if (field is not null) Assert.True(body["errors"]!.AsObject().ContainsKey(field), body.ToJsonString());
        Assert.Equal(before, await app.WithDbAsync(db => db.Registrations.CountAsync()));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(byte[] bytes, string contentType)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _api.Http.PostAsync("/api/v1/public/registrations", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private static string Body(string token, int notice, string agencyId, string who, string name = "山田 太郎") =>
        new JsonObject
        {
            ["token"] = token, ["name"] = name, ["email"] = $"{ApiClient.Unique(who)}@example.jp", ["prefecture"] = "13",
            ["desiredOccupation"] = "営業", ["skills"] = new JsonArray("法人営業", "Excel"),
            ["consent"] = new JsonObject { ["noticeVersion"] = notice, ["agencyIds"] = new JsonArray(agencyId) },
        }.ToJsonString(Unescaped);

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
