using System.Net;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>Export (APPI art. 33, GDPR art. 20): everything held about the person, and nothing of anyone else.</summary>
public abstract class ExportCandidateDataTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Export_HoldsAllOfTheirDataConsentsProvisionsAndReads_AndNothingOfAnyoneElse()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var mine = $"{ApiClient.Unique("mine")}@example.jp";
        var theirs = $"{ApiClient.Unique("theirs")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, mine, agency.Id, phone: "090-1111-2222", name: "佐藤 花子");
        var theirRegistration = await _api.RegisterAndVerifyAsync(token, theirs, agency.Id, phone: "090-3333-4444", name: "鈴木 一郎");
        await _api.GetAsync("/api/v1/agency/candidates", agency.Key); // an audited read

        var (status, export) = await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(mine) });
        Assert.Equal(HttpStatusCode.OK, status);
        var profile = export!["candidate"]!["profile"]!;
        Assert.Equal("佐藤 花子", profile["name"]!.GetValue<string>());
        Assert.Equal(mine, profile["email"]!.GetValue<string>());
        Assert.Equal("090-1111-2222", profile["phone"]!.GetValue<string>());
        var consent = Assert.Single(export["consents"]!.AsArray())!;
        Assert.Equal(agency.Id, consent["agency"]!["id"]!.GetValue<string>());
        Assert.Equal(1, consent["noticeVersion"]!.GetValue<int>());
        var provision = Assert.Single(export["provisionRecords"]!.AsArray())!;
        Assert.Equal("consent", provision["basis"]!.GetValue<string>());
        Assert.Contains("email", provision["items"]!.GetValue<string>());
        Assert.Contains(export["accessLog"]!.AsArray(), a => a!["actor"]!["id"]!.GetValue<string>() == agency.Id);
        Assert.Single(export["registrations"]!.AsArray());

        var text = export.ToJsonString();
        Assert.DoesNotContain(theirs, text);
        Assert.DoesNotContain("鈴木", text);
        Assert.DoesNotContain("090-3333-4444", text);
        Assert.DoesNotContain(theirRegistration, text);
    }
}

public sealed class ExportCandidateDataTestsOnSqlite(SqliteApp app) : ExportCandidateDataTests(app), IClassFixture<SqliteApp>;
public sealed class ExportCandidateDataTestsOnPostgres(PostgresApp app) : ExportCandidateDataTests(app), IClassFixture<PostgresApp>;
