using System.Net;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>The relay end to end over HTTP: link → consented registration → mailed code → verification → agency and company views.</summary>
public abstract class RelayFlowTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Registration_VerifiedFromMailedLink_AgencySeesCandidateAndCompanySeesOnlyCounts()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("hanako")}@example.jp";

        var (status, body) = await _api.RegisterAsync(token, email, agency.Id, phone: "090-1234-5678", name: "佐藤 花子");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("pending_verification", body!["status"]!.GetValue<string>());

        // Not visible to the agency until the person confirms their address.
        var (_, before) = await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        Assert.Empty(before!["items"]!.AsArray());

        var mail = await app.Mail.WaitForAsync(email);
        Assert.Contains("メールアドレスの確認", mail.Subject);
        Assert.Contains("佐藤 花子", mail.Body);
        var code = MailBox.VerificationCode(mail);
        Assert.Contains($"https://localhost/verify/{code}", mail.Body);

        var (verified, result) = await _api.PostAsync("/api/v1/public/verifications", new { code });
        Assert.Equal(HttpStatusCode.OK, verified);
        Assert.Equal("verified", result!["status"]!.GetValue<string>());

        var (listed, candidates) = await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        Assert.Equal(HttpStatusCode.OK, listed);
        var candidate = Assert.Single(candidates!["items"]!.AsArray())!;
        Assert.Equal("佐藤 花子", candidate["name"]!.GetValue<string>());
        Assert.Equal(email, candidate["email"]!.GetValue<string>());
        Assert.Equal("090-1234-5678", candidate["phone"]!.GetValue<string>());
        Assert.Equal("13", candidate["prefecture"]!.GetValue<string>());
        Assert.Equal(["法人営業", "Excel"], candidate["skills"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("new", candidate["stage"]!.GetValue<string>());
        Assert.EndsWith("Z", candidate["registeredAt"]!.GetValue<string>());

        // APPI art. 29: the hand-over to the agency is recorded (who, to whom, which items, basis), without the values.
        var record = await app.WithDbAsync(db => db.ProvisionRecords.SingleAsync(p => p.CandidateId == candidate["id"]!.GetValue<string>()));
        Assert.Equal(("agency", agency.Id, "consent"), (record.RecipientType, record.RecipientId, record.Basis));
        Assert.Equal("name,email,nameKana,phone,prefecture,desiredOccupation,skills", record.Items);
        var consent = await app.WithDbAsync(db => db.Consents.SingleAsync(c => c.CandidateId == candidate["id"]!.GetValue<string>()));
        Assert.Equal((agency.Id, 1), (consent.AgencyId, consent.NoticeVersion));
        Assert.Equal(32, consent.IpHash.Length);

        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal(1, ApiClient.Int(summary, "registrations"));
        Assert.Equal(1, ApiClient.Int(summary, "verified"));
        Assert.Equal(1, ApiClient.Int(summary, "qualifiedReferrals"));
        Assert.Equal(1, ApiClient.Int(summary, "progressToNextSlot"));
        Assert.DoesNotContain(email, summary.ToJsonString());

        // The agency's read is audited (who, what, when), without the personal data itself.
        var (_, audit) = await _api.GetAsync($"/api/v1/admin/audit?candidateId={candidate["id"]}", CareerRelayApp.OperatorKey);
        Assert.Contains(audit!["items"]!.AsArray(), a => a!["actorType"]!.GetValue<string>() == "agency");
    }

    [Fact]
    public async Task Registration_InEnglish_GetsTheEnglishMailAndPage()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("english")}@example.jp";
        var (status, _) = await _api.SendAsync(HttpMethod.Post, "/api/v1/public/registrations?lang=en", new
        {
            token, name = "Alex Smith", email, consent = new { noticeVersion = 1, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var mail = await app.Mail.WaitForAsync(email);
        Assert.Equal("[CareerRelay] Please confirm your email address", mail.Subject);
        Assert.Contains("Dear Alex Smith", mail.Body);
        var code = MailBox.VerificationCode(mail);
        Assert.Contains($"/verify/{code}?lang=en", mail.Body);
        var page = await _api.Http.GetStringAsync($"/verify/{code}?lang=en");
        Assert.Contains("Confirm my registration", page);
    }

    [Fact]
    public async Task Verification_ConfirmedTwice_AnswersVerifiedAndCountsOnce()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("twice")}@example.jp";
        await _api.RegisterAsync(token, email, agency.Id);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email));

        var first = await _api.PostAsync("/api/v1/public/verifications", new { code });
        var second = await _api.PostAsync("/api/v1/public/verifications", new { code });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("verified", second.Body!["status"]!.GetValue<string>());
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "qualifiedReferrals"));
    }

    [Fact]
    public async Task VerifyPage_OpenedByGet_ChangesNothingUntilTheButtonPosts()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("scanner")}@example.jp";
        await _api.RegisterAsync(token, email, agency.Id);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email));

        // A mail scanner opens the link.
        var page = await _api.Http.GetAsync($"/verify/{code}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("登録を確定する", html);
        Assert.Contains($"<form method=\"post\" action=\"/verify/{code}\"", html);
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "verified"));

        // The person presses the button.
        var confirmed = await _api.Http.PostAsync($"/verify/{code}", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var done = await confirmed.Content.ReadAsStringAsync();
        Assert.Contains("登録が完了しました", done);
        // The page does not end there: what happens now, and the way to their own page.
        Assert.Contains("これからの流れ", done);
        Assert.Contains("担当者から、メールまたはお電話でご連絡します", done);
        Assert.Contains("href=\"/me\"", done);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "verified"));
    }

    [Fact]
    public async Task Verification_UnknownOrExpiredCode_Answers404Or410()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var unknown = await _api.PostAsync("/api/v1/public/verifications", new { code = "no-such-code-0000000000000" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.Body!["code"]!.GetValue<string>());

        var email = $"{ApiClient.Unique("late")}@example.jp";
        await _api.RegisterAsync(token, email, agency.Id);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email));
        app.Clock.Advance(TimeSpan.FromDays(8));
        {
            var expired = await _api.PostAsync("/api/v1/public/verifications", new { code });
            Assert.Equal(HttpStatusCode.Gone, expired.Status);
            Assert.Equal("code_expired", expired.Body!["code"]!.GetValue<string>());
            var page = await _api.Http.GetAsync($"/verify/{code}");
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            Assert.Contains("有効期限", await page.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Registration_ConsentMissingWrongAgencyOrOldNotice_Answers400ConsentRequired()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var other = await _api.CreateAgencyAsync(); // exists, but not this company's partner
        var version = await _api.NoticeVersionAsync(token);
        object Body(object? consent) => new { token, name = "田中 一郎", email = $"{ApiClient.Unique("c")}@example.jp", consent };

        foreach (var consent in new object?[]
                 {
                     null,
                     new { noticeVersion = version, agencyIds = Array.Empty<string>() },
                     new { noticeVersion = version, agencyIds = new[] { other.Id } },
                     new { noticeVersion = version + 1, agencyIds = new[] { agency.Id } },
                 })
        {
            var (status, body) = await _api.PostAsync("/api/v1/public/registrations", Body(consent));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("consent_required", body!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Registration_InvalidFields_AnswersValidationFailedPerField()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var (status, body) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "", email = "not-an-email", phone = "call me", prefecture = "99", skills = Enumerable.Range(0, 60).Select(i => $"skill {i}"),
            consent = new { noticeVersion = 1, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", body!["code"]!.GetValue<string>());
        var errors = body["errors"]!.AsObject();
        Assert.All(new[] { "name", "email", "phone", "prefecture", "skills" }, f => Assert.True(errors.ContainsKey(f), f));
    }

    [Fact]
    public async Task Link_Paused_RefusesRegistrationWith410AndShowsFriendlyPage()
    {
        var (company, agency, linkId, token) = await _api.CreateRelayAsync();
        var (paused, link) = await _api.PostAsync($"/api/v1/company/links/{linkId}/pause", null, company.Key);
        Assert.Equal(HttpStatusCode.OK, paused);
        Assert.True(link!["paused"]!.GetValue<bool>());

        var (status, body) = await _api.RegisterAsync(token, $"{ApiClient.Unique("p")}@example.jp", agency.Id);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("link_paused", body!["code"]!.GetValue<string>());
        var page = await _api.Http.GetAsync($"/r/{token}");
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("受付を停止", await page.Content.ReadAsStringAsync());

        await _api.PostAsync($"/api/v1/company/links/{linkId}/resume", null, company.Key);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(token, $"{ApiClient.Unique("p")}@example.jp", agency.Id)).Status);
    }

    [Fact]
    public async Task Invitation_SecondRegistration_Answers409InvitationUsed()
    {
        var (company, agency, linkId, _) = await _api.CreateRelayAsync();
        var (created, body) = await _api.PostAsync("/api/v1/company/invitations", new { linkId, externalRefs = new[] { "APP-1", "APP-2" } }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var invitations = body!["invitations"]!.AsArray();
        Assert.Equal(2, invitations.Count);
        Assert.Equal("APP-1", invitations[0]!["externalRef"]!.GetValue<string>());
        var token = invitations[0]!["token"]!.GetValue<string>();
        Assert.Equal($"https://localhost/r/{token}", invitations[0]!["url"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(token, $"{ApiClient.Unique("i")}@example.jp", agency.Id)).Status);
        var (again, problem) = await _api.RegisterAsync(token, $"{ApiClient.Unique("i")}@example.jp", agency.Id);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("invitation_used", problem!["code"]!.GetValue<string>());
        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
    }

    [Fact]
    public async Task LinkInfo_ShowsCompanyNoticeAndEveryAgencyDisclosure()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var (status, body) = await _api.GetAsync($"/api/v1/public/links/{token}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("株式会社テスト", body!["company"]!["name"]!.GetValue<string>());
        Assert.Contains("個人情報", body["notice"]!["text"]!.GetValue<string>());
        var offered = Assert.Single(body["agencies"]!.AsArray())!;
        Assert.Equal(agency.Id, offered["id"]!.GetValue<string>());
        foreach (var field in new[] { "name", "licenseNumber", "fees", "complaintContact", "privacyPolicyUrl" })
            Assert.False(string.IsNullOrEmpty(offered[field]!.GetValue<string>()), field);
        Assert.NotEmpty(offered["occupations"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/v1/public/links/unknown-token")).Status);
    }

    [Fact]
    public async Task EmailTemplate_InBothLanguages_CarriesTheLinkUrl()
    {
        var (company, _, linkId, token) = await _api.CreateRelayAsync();
        var (_, ja) = await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template?lang=ja", company.Key);
        var (_, en) = await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template?lang=en", company.Key);
        Assert.Contains($"https://localhost/r/{token}", ja!["body"]!.GetValue<string>());
        Assert.Contains("お祈り申し上げます", ja["body"]!.GetValue<string>());
        Assert.Contains($"https://localhost/r/{token}", en!["body"]!.GetValue<string>());
        Assert.Contains("We wish you every success", en["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task WholeFlow_Logs_ContainNoPersonalData()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("privacy")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: "080-9999-1111");
        await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        // The person's own side too: sign-in link, export, withdrawal, erasure.
        var me = await _api.MeTokenAsync(email);
        await _api.PostAsync("/api/v1/public/me/export", new { token = me });
        await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id });
        await _api.PostAsync("/api/v1/public/me/erase", new { token = me });

        var logs = string.Join("\n", app.Logs);
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(email, logs);
        Assert.DoesNotContain("山田", logs);
        Assert.DoesNotContain("080-9999-1111", logs);
        Assert.DoesNotContain(me, logs); // nor the sign-in token
    }
}

public sealed class RelayFlowTestsOnSqlite(SqliteApp app) : RelayFlowTests(app), IClassFixture<SqliteApp>;
public sealed class RelayFlowTestsOnPostgres(PostgresApp app) : RelayFlowTests(app), IClassFixture<PostgresApp>;
