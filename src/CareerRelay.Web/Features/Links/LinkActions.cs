using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Links;

/// <summary>What a company does with its links — shared by the API and the console so both follow one set of rules.</summary>
public sealed class LinkActions(CareerRelayDb db, DbWriteGate gate, RelayEntries entries, PublicUrls urls, TimeProvider clock)
{
    public const int MaxInvitationBatch = 1000;
    /// <summary>A label names a campaign, a job or a season; a table of links stays readable.</summary>
    public const int MaxLabel = 100;

    public async Task<Result<RelayLink>> CreateAsync(string companyId, string? label, CancellationToken ct, IReadOnlyList<string?>? sources = null)
    {
        var v = new Validation();
        var trimmed = v.Required("label", label, MaxLabel);
        var allowed = LinkSources.Validate(v, sources);
        if (!v.IsValid) return v.ToError();
        var link = new RelayLink
        {
            Id = Ids.New(), CompanyId = companyId, Token = SecretTokens.New(16), Label = trimmed, Sources = allowed, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ => { db.RelayLinks.Add(link); return Task.FromResult(0); }, ct);
        return link;
    }

    /// <summary>Renames a link or sets its sources (what is not given stays); NotFound when the link is not this company's.</summary>
    public async Task<Result<RelayLink>> UpdateAsync(string companyId, string id, string? label, IReadOnlyList<string?>? sources, CancellationToken ct)
    {
        var v = new Validation();
        var trimmed = label is null ? null : v.Required("label", label, MaxLabel);
        var allowed = sources is null ? null : LinkSources.Validate(v, sources);
        if (!v.IsValid) return v.ToError();
        var link = await gate.RunAsync(db, async token =>
        {
            var found = await db.RelayLinks.FirstOrDefaultAsync(l => l.Id == id && l.CompanyId == companyId, token);
            if (found is null) return null;
            if (trimmed is not null) found.Label = trimmed;
            if (allowed is not null) found.Sources = allowed;
            return found;
        }, ct);
        if (link is null) return ApiError.NotFound("link");
        entries.Invalidate(); // the landing page counts sources by the cached list
        return link;
    }

    /// <summary>Pauses or resumes; null when the link is not this company's.</summary>
    public async Task<RelayLink?> SetPausedAsync(string companyId, string id, bool paused, CancellationToken ct)
    {
        var link = await gate.RunAsync(db, async token =>
        {
            var found = await db.RelayLinks.FirstOrDefaultAsync(l => l.Id == id && l.CompanyId == companyId, token);
            if (found is not null) found.Paused = paused;
            return found;
        }, ct);
        if (link is not null) entries.Invalidate();
        return link;
    }

    /// <summary>
    /// Mints single-use invitation tokens under one of the company's links, either <paramref name="count"/>
    /// anonymous ones or one per external reference (e.g. the ATS application id). Only hashes are stored,
    /// so the answer is the one chance to read the tokens.
    /// </summary>
    public async Task<Result<IReadOnlyList<InvitationItem>>> MintInvitationsAsync(
        string companyId, string? linkId, int? count, IReadOnlyList<string?>? externalRefs, CancellationToken ct)
    {
        var v = new Validation();
        var link = v.Required("linkId", linkId, 64);
        if (externalRefs is null && count is null) v.Add("count", "Error.CountOrReferences");
        if (externalRefs is not null && count is not null) v.Add("count", "Error.CountAndReferences");
        if (count is int n && n is < 1 or > MaxInvitationBatch) v.Add("count", "Error.Range", 1, MaxInvitationBatch);
        List<string?> refs = [];
        if (externalRefs is not null)
        {
            if (externalRefs.Count is < 1 or > MaxInvitationBatch) v.Add("externalRefs", "Error.ReferenceCount", MaxInvitationBatch);
            if (externalRefs.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 200 || r.Any(char.IsControl)))
                v.Add("externalRefs", "Error.ItemTooLong", 200);
            refs = externalRefs.Select(r => r?.Trim()).ToList();
        }
        else if (count is int c and >= 1 and <= MaxInvitationBatch) refs = Enumerable.Repeat<string?>(null, c).ToList();
        if (!v.IsValid) return v.ToError();

        if (!await db.RelayLinks.AnyAsync(l => l.Id == link && l.CompanyId == companyId, ct)) return ApiError.NotFound("link");
        var now = clock.GetUtcNow().UtcDateTime;
        var experiment = await Experiments.ManageExperiments.RunningAsync(db, link, ct);
        var minted = refs.Select(r => NewInvitation(companyId, link, r, now, experiment: experiment)).ToList();
        await gate.RunAsync(db, async t =>
        {
            db.Invitations.AddRange(minted.Select(m => m.Row));
            await Credits.SummaryRollup.AddInvitationsAsync(db, companyId, minted.Count, t);
            return 0;
        }, ct);
        return minted.Select(m => new InvitationItem(m.Row.ExternalRef, m.Token, urls.To($"/r/{m.Token}"), m.Row.Variant)).ToList();
    }

    /// <summary>
    /// One single-use invitation under a link: the row (hash only) and the token, which exists only in this answer. While an
    /// experiment runs on the link, the invitation gets its variant by the deterministic split.
    /// </summary>
    public static (Invitation Row, string Token) NewInvitation(string companyId, string linkId, string? externalRef, DateTime now, string? stage = null,
        Experiments.RunningExperiment? experiment = null)
    {
        var token = SecretTokens.New(24, RelayEntries.InvitationPrefix);
        var id = Ids.New();
        return (new Invitation
        {
            Id = id, CompanyId = companyId, LinkId = linkId, TokenHash = SecretTokens.Hash(token), ExternalRef = externalRef, Stage = stage, CreatedAt = now,
            ExperimentId = experiment?.Id, Variant = experiment?.VariantFor(id).Key,
        }, token);
    }
}
