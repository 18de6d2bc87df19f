using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Registrations;
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

    /// <summary>
    /// The route parses with two converters of its own for the consent and the lists (RegistrationBody: no parser frame per
    /// nesting). Every body must come out as the framework's own options read it — the same request, or an error at the
    /// same path (the problem's field).
    /// </summary>
    [Theory]
    [InlineData("""{"token":"t","name":"山田","email":"a@b.jp","nameKana":"ヤマダ","phone":"090","prefecture":"13","desiredOccupation":"営業","skills":["営業",null,"Excel"],"consent":{"noticeVersion":3,"agencyIds":["a1","a2"]},"source":"x","schoolId":"s","school":"みどり大学","graduationYear":2025,"shareSchoolOutcomes":true}""")]
    [InlineData("""{"consent":{"noticeVersion":"3","agencyIds":[]},"skills":[]}""")]
    [InlineData("""{"consent":{"noticeVersion":"+3"}}""")]
    [InlineData("""{"consent":{"noticeVersion":"-3"}}""")]
    [InlineData("""{"consent":{"noticeVersion":"0003"}}""")]
    [InlineData("""{"consent":{"NoticeVersion":1,"AGENCYIDS":["a"]}}""")]
    [InlineData("""{"consent":{"notice\u0056ersion":1,"agencyIds":["\u0061"]}}""")]
    [InlineData("""{"consent":{"x":{"y":[1,{"z":null}]},"noticeVersion":1,"w":[[]]}}""")]
    [InlineData("""{"consent":{"noticeVersion":1,"noticeVersion":2,"agencyIds":["a"],"agencyIds":null}}""")]
    [InlineData("""{"consent":null,"skills":null}""")]
    [InlineData("""{"consent":{}}""")]
    [InlineData("""{"consent":{"noticeVersion":null,"agencyIds":[null]}}""")]
    [InlineData("""{"skills":"営業"}""")]
    [InlineData("""{"skills":["a",1]}""")]
    [InlineData("""{"skills":[["a"]]}""")]
    [InlineData("""{"skills":{}}""")]
    [InlineData("""{"consent":[]}""")]
    [InlineData("""{"consent":"yes"}""")]
    [InlineData("""{"consent":{"noticeVersion":"one"}}""")]
    [InlineData("""{"consent":{"noticeVersion":" 1"}}""")]
    [InlineData("""{"consent":{"noticeVersion":"1e2"}}""")]
    [InlineData("""{"consent":{"noticeVersion":1.5}}""")]
    [InlineData("""{"consent":{"noticeVersion":99999999999}}""")]
    [InlineData("""{"consent":{"noticeVersion":true}}""")]
    [InlineData("""{"consent":{"noticeVersion":{}}}""")]
    [InlineData("""{"consent":{"agencyIds":"a"}}""")]
    [InlineData("""{"consent":{"agencyIds":[1]}}""")]
    [InlineData("""{"consent":{"agencyIds":["a",{"b":1}]}}""")]
    [InlineData("""{"Consent":{"noticeVersion":"x"}}""")]
    [InlineData("""{"SKILLS":["a",false]}""")]
    [InlineData("""{"consent":{"noticeVersion":1,}}""")]
    [InlineData(""""{"consent":{"agencyIds":["a"""")]
    [InlineData("""{"skills":["a",]}""")]
    [InlineData("""{"consent":{"noticeVersion":""")]
    [InlineData("""{"consent":{"noticeVersion":1,"agencyIds":[""")]
    [InlineData("""{"consent":{"x":[1,""")]
    [InlineData("""{"consent":{"x":[1,}}""")]
    [InlineData("""{"consent":{"AgencyIds":["a",3]}}""")]
    [InlineData("""{"consent":{"\u0041gencyIds":["a",3]}}""")]
    [InlineData("""{"consent":{"noticeVersion":"\u0031"}}""")]
    [InlineData("""{"consent":{"noticeVersion":"\u0031x"}}""")]
    [InlineData("""{"consent":{"ｎoticeVersion":"x"}}""")]
    [InlineData("""{"consent":{"noticeVersion":1} "x"}""")]
    [InlineData("""{"consent":{"noticeVersion":2147483648}}""")]
    [InlineData("""{"consent":{"noticeVersion":"-2147483648"}}""")]
    [InlineData("""{"consent":{"noticeVersion":-0}}""")]
    [InlineData("""{"consent":{"noticeVersion":1E0}}""")]
    public void TheRoutesParser_ReadsEveryBodyAsTheFrameworksOptionsDo(string json)
    {
        var framework = app.Service<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var theirs = Parse(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<RegistrationRequest>)framework.GetTypeInfo(typeof(RegistrationRequest)));
        var ours = Parse(json, RegistrationBody.TypeInfo(framework));
        Assert.Equal(theirs, ours);

        string Parse(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<RegistrationRequest> type)
        {
            try { return "read: " + System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(body), type), framework); }
            catch (System.Text.Json.JsonException ex) { return "refused at " + CareerRelay.Web.Infrastructure.Web.RequestBodies.WithFullPath(ex).Path; }
        }
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
