using System.Net;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Experiments;
using CareerRelay.Web.Features.Links;

namespace CareerRelay.Tests.Features.Experiments;

/// <summary>
/// Rejection-mail experiments on a real database: the rules of starting one, the even and repeatable split of every way an
/// invitation is minted, each variant's own funnel (clicks, registrations, verified), too early below the minimum, promote
/// and stop — and another company's experiment is not there.
/// </summary>
public abstract class ExperimentTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();
    private const string Browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
    private const string OwnText = "この度はご応募ありがとうございました。次の一歩はこちらから：\n{{link}}\n（人事部）";

    private async Task<JsonNode> StartAsync(string key, string linkId, object[]? variants = null)
    {
        var (status, body) = await _api.PostAsync("/api/v1/company/experiments", new
        {
            linkId, name = "温かい文面は効くか",
            variants = variants ?? [new { key = "A", tone = "standard" }, new { key = "B", tone = "warm" }, new { key = "C", text = OwnText }],
        }, key);
        Assert.Equal(HttpStatusCode.Created, status);
        return body!;
    }

    [Fact]
    public async Task Starting_IsValidated_OnePerLink_AndAnotherCompanysIdsAreNotFound()
    {
        var (company, _, linkId, _) = await _api.CreateRelayAsync();
        async Task<JsonNode> RefusedAsync(object body, HttpStatusCode expected)
        {
            var (status, problem) = await _api.PostAsync("/api/v1/company/experiments", body, company.Key);
            Assert.Equal(expected, status);
            return problem!;
        }
        var one = await RefusedAsync(new { linkId, name = "x", variants = new[] { new { key = "A", tone = "standard" } } }, HttpStatusCode.BadRequest);
        Assert.NotNull(one["errors"]!["variants"]);
        var noLink = await RefusedAsync(new { linkId, name = "x", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", text = "リンクのない文面" } } },
            HttpStatusCode.BadRequest);
        Assert.Contains("{{link}}", noLink["errors"]!["variants"]![0]!.GetValue<string>());
        await RefusedAsync(new { linkId, name = "x", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", tone = "warm", text = OwnText } } },
            HttpStatusCode.BadRequest);
        await RefusedAsync(new { linkId, name = "x", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "A", tone = "warm" } } }, HttpStatusCode.BadRequest);
        await RefusedAsync(new { linkId, name = "x", variants = new object[] { new { key = "A", tone = "loud" }, new { key = "B", tone = "warm" } } }, HttpStatusCode.BadRequest);
        await RefusedAsync(new { linkId, name = "x", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", text = new string('あ', 2001) + "{{link}}" } } },
            HttpStatusCode.BadRequest);

        var started = await StartAsync(company.Key, linkId);
        Assert.Equal("running", started["status"]!.GetValue<string>());
        Assert.Equal(["A", "B", "C"], started["variants"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));
        var running = await RefusedAsync(new { linkId, name = "again", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", tone = "warm" } } },
            HttpStatusCode.Conflict);
        Assert.Equal("experiment_running", running["code"]!.GetValue<string>());

        var other = await _api.CreateCompanyAsync();
        var id = started["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/company/experiments/{id}", other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/experiments/{id}/promote", new { key = "B" }, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/experiments/{id}/stop", new { }, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/company/experiments",
            new { linkId, name = "theirs", variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", tone = "warm" } } }, other.Key)).Status);
        Assert.Empty((await _api.GetAsync("/api/v1/company/experiments", other.Key)).Body!["items"]!.AsArray());
        Assert.Single((await _api.GetAsync("/api/v1/company/experiments", company.Key)).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task TheSplit_IsEvenWithinThreePercent_Over10000Invitations_AndTheSameOnEveryRead()
    {
        var (company, _, linkId, _) = await _api.CreateRelayAsync();
        var id = (await StartAsync(company.Key, linkId, [new { key = "A", tone = "standard" }, new { key = "B", tone = "warm" }]))["id"]!.GetValue<string>();
        var answered = new List<string>();
        for (var batch = 0; batch < 10; batch++)
        {
            var (status, body) = await _api.PostAsync("/api/v1/company/invitations", new { linkId, count = 1000 }, company.Key);
            Assert.Equal(HttpStatusCode.Created, status);
            answered.AddRange(body!["invitations"]!.AsArray().Select(i => i!["variant"]!.GetValue<string>()));
        }
        var (_, result) = await _api.GetAsync($"/api/v1/company/experiments/{id}", company.Key);
        var variants = result!["variants"]!.AsArray();
        foreach (var v in variants)
        {
            var n = v!["invitations"]!.GetValue<int>();
            Assert.InRange(n, 4700, 5300); // ±3 % of 5,000
            Assert.Equal(answered.Count(a => a == v["key"]!.GetValue<string>()), n); // what the answers said is what was stored
        }
        Assert.False(result["tooEarly"]!.GetValue<bool>());
        Assert.Equal("no_difference", variants[1]!["verdict"]!.GetValue<string>()); // nobody registered: no difference to find

        // Deterministic: every stored variant is the one the split gives that invitation.
        var rows = await app.WithDbAsync(db => db.Invitations.AsNoTracking().Where(i => i.ExperimentId == id).Select(i => new { i.Id, i.Variant }).ToListAsync());
        Assert.Equal(10_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(ExperimentSplit.Assign(id, r.Id, ["A", "B"]), r.Variant));
    }

    [Fact]
    public async Task EachVariant_HasItsOwnFunnel_TooEarlyBelowTheMinimum_ThenPromoteMakesItTheLinksWording()
    {
        var (company, agency, linkId, linkToken) = await _api.CreateRelayAsync();
        var id = (await StartAsync(company.Key, linkId))["id"]!.GetValue<string>();
        var (_, minted) = await _api.PostAsync("/api/v1/company/invitations", new { linkId, count = 30 }, company.Key);
        var invitations = minted!["invitations"]!.AsArray().Select(i => (Token: i!["token"]!.GetValue<string>(), Variant: i["variant"]!.GetValue<string>())).ToList();
        Assert.Equal(3, invitations.Select(i => i.Variant).Distinct().Count());

        // The own wording, as the company pastes it (and as entrusted mail would send it).
        var (_, mail) = await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template?variant=C", company.Key);
        Assert.StartsWith("この度はご応募ありがとうございました。", mail!["body"]!.GetValue<string>());
        Assert.Contains($"/r/{linkToken}\n（人事部）", mail["body"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template?variant=Z", company.Key)).Status);

        // Two people open B's invitations (one twice), one registers and confirms; one of C's registers without confirming.
        var b = invitations.Where(i => i.Variant == "B").Take(2).ToList();
        var c = invitations.First(i => i.Variant == "C");
        foreach (var (token, agent) in new[] { (b[0].Token, Browser), (b[0].Token, Browser), (b[1].Token, Browser + " other"), (c.Token, Browser) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{token}");
            request.Headers.UserAgent.ParseAdd(agent);
            Assert.Equal(HttpStatusCode.OK, (await _api.Http.SendAsync(request)).StatusCode);
        }
        await app.Service<ClickFlusher>().FlushAsync(CancellationToken.None);
        await _api.RegisterAndVerifyAsync(b[0].Token, $"{ApiClient.Unique("b")}@example.jp", agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(c.Token, $"{ApiClient.Unique("c")}@example.jp", agency.Id, await _api.NoticeVersionAsync(c.Token))).Status);

        var (_, result) = await _api.GetAsync($"/api/v1/company/experiments/{id}", company.Key);
        JsonNode V(string key) => result!["variants"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == key)!;
        Assert.True(result!["tooEarly"]!.GetValue<bool>());
        Assert.Equal(200, result["minimumInvitations"]!.GetValue<int>());
        Assert.Equal("baseline", V("A")["verdict"]!.GetValue<string>());
        Assert.Equal("too_early", V("B")["verdict"]!.GetValue<string>());
        Assert.Equal(2, V("B")["clicks"]!.GetValue<long>());
        Assert.Equal(1, V("B")["registrations"]!.GetValue<int>());
        Assert.Equal(1, V("B")["verified"]!.GetValue<int>());
        Assert.Equal(1, V("B")["qualified"]!.GetValue<int>());
        Assert.Equal((1, 0, 1), (V("C")["clicks"]!.GetValue<long>() > 0 ? 1 : 0, V("C")["verified"]!.GetValue<int>(), V("C")["registrations"]!.GetValue<int>()));
        var nB = V("B")["invitations"]!.GetValue<int>();
        Assert.Equal(1.0 / nB, V("B")["verifiedRate"]!.GetValue<double>(), 9);
        Assert.Equal(ExperimentStatistics.Wilson(1, nB)!.Value.Low, V("B")["verifiedRateLow"]!.GetValue<double>(), 9);
        Assert.Equal(0, V("A")["clicks"]!.GetValue<long>());

        // Promote B: the experiment ends, the link's mail is B's wording, later invitations carry no variant.
        var (promoted, ended) = await _api.PostAsync($"/api/v1/company/experiments/{id}/promote", new { key = "B" }, company.Key);
        Assert.Equal(HttpStatusCode.OK, promoted);
        Assert.Equal(("promoted", "B"), (ended!["status"]!.GetValue<string>(), ended["winner"]!.GetValue<string>()));
        var (_, warm) = await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template", company.Key);
        var (_, warmByTone) = await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template?tone=warm", company.Key);
        Assert.Equal(warmByTone!["body"]!.GetValue<string>(), warm!["body"]!.GetValue<string>());
        var (_, later) = await _api.PostAsync("/api/v1/company/invitations", new { linkId, count = 1 }, company.Key);
        Assert.Null(later!["invitations"]![0]!["variant"]);
        var (again, problem) = await _api.PostAsync($"/api/v1/company/experiments/{id}/stop", new { }, company.Key);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("invalid_state", problem!["code"]!.GetValue<string>());

        // The link is free for the next experiment; stopping it leaves the promoted wording in place.
        var next = (await StartAsync(company.Key, linkId, [new { key = "A", tone = "warm" }, new { key = "B", text = OwnText }]))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/api/v1/company/experiments/{next}/promote", new { key = "Q" }, company.Key)).Status);
        var (stopped, body) = await _api.PostAsync($"/api/v1/company/experiments/{next}/stop", new { }, company.Key);
        Assert.Equal((HttpStatusCode.OK, "stopped"), (stopped, body!["status"]!.GetValue<string>()));
        Assert.Equal(warm["body"]!.GetValue<string>(), (await _api.GetAsync($"/api/v1/company/links/{linkId}/email-template", company.Key)).Body!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task AtsIntake_AndItsEntrustedMail_FollowTheVariant()
    {
        var (company, _, linkId, _) = await _api.CreateRelayAsync();
        var id = (await StartAsync(company.Key, linkId, [new { key = "A", tone = "standard" }, new { key = "B", text = OwnText }]))["id"]!.GetValue<string>();
        var seen = new Dictionary<string, string>();
        for (var i = 0; seen.Count < 2 && i < 40; i++)
        {
            var email = $"{ApiClient.Unique("ats")}@example.jp";
            var (status, answer) = await _api.PostAsync("/api/v1/company/ats/events", new
            {
                eventId = ApiClient.Unique("ev"), type = "rejected", applicationId = ApiClient.Unique("app"), occurredAt = "2026-12-01T00:00:00Z",
                lang = "ja", candidate = new { email, name = "応募 太郎" },
            }, company.Key);
            Assert.Equal(HttpStatusCode.Accepted, status);
            var variant = answer!["variant"]!.GetValue<string>();
            if (seen.ContainsKey(variant)) continue;
            var body = (await app.Mail.WaitForAsync(email)).Body;
            seen[variant] = body;
            Assert.Contains(answer["invitationUrl"]!.GetValue<string>(), body);
        }
        Assert.Contains("（人事部）", seen["B"]);
        Assert.DoesNotContain("（人事部）", seen["A"]);
        var (_, result) = await _api.GetAsync($"/api/v1/company/experiments/{id}", company.Key);
        Assert.True(result!["variants"]!.AsArray().Sum(v => v!["invitations"]!.GetValue<int>()) >= 2);
    }
}

public sealed class ExperimentTestsOnSqlite(SqliteApp app) : ExperimentTests(app), IClassFixture<SqliteApp>;
public sealed class ExperimentTestsOnPostgres(PostgresApp app) : ExperimentTests(app), IClassFixture<PostgresApp>;
