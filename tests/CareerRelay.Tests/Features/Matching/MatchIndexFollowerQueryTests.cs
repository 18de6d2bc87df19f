using CareerRelay.Web.Features.Matching;
using Microsoft.EntityFrameworkCore;

namespace CareerRelay.Tests.Features.Matching;

/// <summary>
/// Every node's match index follows the people changed in the last few seconds. It must read only them: a scan of the
/// whole candidates table (and of every registration, for who is confirmed) every 5 s cost more with every person
/// registered (issue 23's profile after 250,000 people).
/// </summary>
public sealed class MatchIndexFollowerQueryTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task ChangedPeople_AreFoundThroughTheUpdatedAtIndex_NotAScanOfEveryone()
    {
        var plan = await PlanOf(db => MatchIndexFollower.ChangedSince(db, DateTime.UtcNow.AddSeconds(-5), DateTime.UtcNow));
        // The changed people through the index on updated_at, each one's registrations through theirs: no step reads a whole table.
        Assert.Contains(plan, step => step.Contains("USING INDEX ix_candidates_updated_at", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("USING INDEX ix_registrations_candidate_id", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangedPeople_AreOnlyTheConfirmed_AnUnconfirmedSignUpIsNotReadBackByEveryNode()
    {
        var api = app.Api();
        var (_, agency, _, token) = await api.CreateRelayAsync();
        var from = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
        var confirmed = await api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("seen")}@example.jp", agency.Id);
        var (status, pending) = await api.RegisterAsync(token, $"{ApiClient.Unique("unseen")}@example.jp", agency.Id, await api.NoticeVersionAsync(token));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
        var pendingId = pending!["registrationId"]!.GetValue<string>();

        var (changed, people) = await app.WithDbAsync(async db => (
            await MatchIndexFollower.ChangedSince(db, from, app.Clock.GetUtcNow().UtcDateTime.AddMinutes(1)).ToListAsync(),
            await db.Registrations.Where(r => r.Id == confirmed || r.Id == pendingId).ToDictionaryAsync(r => r.Id, r => r.CandidateId)));
        Assert.Contains(people[confirmed], changed);
        Assert.DoesNotContain(people[pendingId], changed);
    }

    [Fact]
    public async Task AStartUpPage_ReadsItsThousandPeople_NotEveryRegistrationAgain()
    {
        // A node's start reads everyone a page at a time; a page built the list of every confirmed person from the whole
        // registrations table, so the fill cost pages × registrations.
        var plan = await PlanOf(db => MatchIndexFollower.PageAfter(db, "c_0"));
        Assert.Contains(plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("sqlite_autoindex_candidates", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("USING INDEX ix_registrations_candidate_id", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    private Task<List<string>> PlanOf<T>(Func<Web.Data.CareerRelayDb, IQueryable<T>> query) =>
        app.WithDbAsync(async db =>
        {
            await using var command = query(db).CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await db.Database.OpenConnectionAsync();
            var details = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) details.Add(reader.GetString(3));
            return details;
        });
}
