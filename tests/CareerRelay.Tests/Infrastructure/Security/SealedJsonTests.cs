using System.Net;
using System.Text;
using System.Text.Json;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CareerRelay.Tests.Infrastructure.Security;

/// <summary>
/// What a registration seals — the profile (on the person and on the registration) and the verification mail — is compact JSON:
/// Japanese as UTF-8 characters rather than <c>\uXXXX</c> escapes (six bytes a character instead of three), and no property
/// that is empty. Every registration writes these three values; their size is the database's and its WAL's growth.
/// Values sealed in the older, escaped shape still open to the same content.
/// </summary>
public sealed class SealedJsonTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task ARegistrationsSealedProfileAndMail_KeepJapaneseAsCharacters_AndLeaveOutEmptyFields()
    {
        var api = app.Api();
        var relay = await api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("compact")}@example.jp";
        var (status, body) = await api.RegisterAsync(relay.Token, email, relay.Agency.Id, await api.NoticeVersionAsync(relay.Token), name: "佐藤 花子");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var registrationId = body!["registrationId"]!.GetValue<string>();

        var (profile, submitted, mail) = await app.WithDbAsync(async db =>
        {
            var registration = await db.Registrations.SingleAsync(r => r.Id == registrationId);
            var candidate = await db.Candidates.SingleAsync(c => c.Id == registration.CandidateId);
            var key = await db.CandidateKeys.SingleAsync(k => k.CandidateId == candidate.Id);
            var outbox = await db.OutboxMails.SingleAsync(m => m.CandidateId == candidate.Id && m.Kind == "verification");
            var dataKey = app.Service<PersonalDataCipher>().UnwrapKey(key.WrappedKey);
            return (Json(dataKey, candidate.Profile), Json(dataKey, registration.SubmittedProfile), Json(dataKey, outbox.Payload));
        });

        foreach (var json in new[] { profile, submitted, mail })
        {
            Assert.DoesNotContain("\\u", json);     // 佐藤 as 佐藤, not \u4F50\u85E4
            Assert.DoesNotContain(":null", json);   // no "CareerSummary":null and the like
        }
        Assert.Contains("\"佐藤 花子\"", profile);
        Assert.Contains("営業", submitted);
        Assert.Contains("佐藤 花子", mail);
        // Still the same profile and mail once opened.
        var opened = JsonSerializer.Deserialize<CandidateProfile>(profile)!;
        Assert.Equal(("佐藤 花子", "ヤマダ タロウ", null as string), (opened.Name, opened.NameKana, opened.CareerSummary));
        Assert.Equal(["法人営業", "Excel"], opened.Skills);
        var content = JsonSerializer.Deserialize<MailContent>(mail)!;
        Assert.Equal(PersonIdentity.NormaliseEmail(email), content.To);
        Assert.Null(content.Calendar);

        static string Json(byte[] key, byte[] sealedValue) => Encoding.UTF8.GetString(PersonalDataCipher.Open(key, sealedValue));
    }

    [Fact]
    public void AProfileAndAMail_SealedInTheOlderEscapedShapeWithNulls_StillOpen()
    {
        var cipher = app.Service<PersonalDataCipher>();
        var key = cipher.NewDataKey();
        // How they were sealed before: the serialiser's default encoder and every property written.
        var profile = new CandidateProfile("佐藤 花子", "hanako@example.jp", null, "09012345678", "13", "営業", ["法人営業"], CareerSummary: "<b>営業</b> 10年");
        var mail = new MailContent("hanako@example.jp", "【キャリアリレー】ご登録の確認", "佐藤 花子 様\r\n…", "ja", FromName: "キャリアリレー");
        var oldProfile = PersonalDataCipher.Seal(key, JsonSerializer.SerializeToUtf8Bytes(profile));
        var oldMail = PersonalDataCipher.Seal(key, JsonSerializer.SerializeToUtf8Bytes(mail));
        Assert.Contains("\\u", Encoding.UTF8.GetString(PersonalDataCipher.Open(key, oldProfile)));

        var vault = app.Service<CandidateVault>();
        AssertSameProfile(profile, vault.Open(key, oldProfile));
        Assert.Equal(mail, cipher.OpenJson<MailContent>(key, oldMail));
        // And what is sealed now opens to the same values.
        AssertSameProfile(profile, vault.Open(key, vault.Seal(key, profile)));
        Assert.Equal(mail, cipher.OpenJson<MailContent>(key, MailOutbox.Seal(key, mail)));

        static void AssertSameProfile(CandidateProfile expected, CandidateProfile opened)
        {
            Assert.Equal(expected.Skills, opened.Skills);
            Assert.Equal(expected, opened with { Skills = expected.Skills }); // a record compares its lists by reference
        }
    }
}
