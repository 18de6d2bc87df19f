using System.Text.RegularExpressions;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Registrations;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Experiments;

/// <summary>
/// A company tests its rejection-mail wordings against each other on one link: start (2–4 variants, one running experiment per
/// link), read the funnel and the statistics, then promote the winner to the link's template or stop.
/// </summary>
public sealed partial class ManageExperiments(CareerRelayDb db, DbWriteGate gate, IOptions<ExperimentOptions> options, TimeProvider clock)
{
    public const int MinVariants = 2, MaxVariants = 4, MaxName = 100;

    public static ApiError Running => new(409, ProblemCodes.ExperimentRunning, "Experiment running",
        "An experiment is already running on this link; promote or stop it first.")
    {
        Fields = new Dictionary<string, FieldMessage[]> { ["linkId"] = [new FieldMessage("Experiments.Error.Running")] },
    };

    public static ApiError Ended(string status) => new(409, ProblemCodes.InvalidState, "Experiment ended", $"The experiment is {status}.");

    /// <summary>The experiment running on a link, as minting needs it; null when none runs.</summary>
    public static async Task<RunningExperiment?> RunningAsync(CareerRelayDb db, string linkId, CancellationToken ct)
    {
        var id = await db.Experiments.AsNoTracking().Where(e => e.RunningLinkId == linkId).Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (id is null) return null;
        var variants = await db.ExperimentVariants.AsNoTracking().Where(v => v.ExperimentId == id).OrderBy(v => v.Position).ToListAsync(ct);
        return new RunningExperiment(id, variants);
    }

    public async Task<Result<ExperimentResult>> CreateAsync(string companyId, ExperimentRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var linkId = v.Required("linkId", body.LinkId, 64);
        var name = v.Required("name", body.Name, MaxName);
        var variants = Variants(v, body.Variants);
        if (!v.IsValid) return v.ToError();
        if (!await db.RelayLinks.AnyAsync(l => l.Id == linkId && l.CompanyId == companyId, ct)) return ApiError.NotFound("link");
        if (await db.Experiments.AnyAsync(e => e.RunningLinkId == linkId, ct)) return Running;

        var experiment = new Experiment
        {
            Id = Ids.New(), CompanyId = companyId, LinkId = linkId, Name = name, RunningLinkId = linkId, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            await gate.RunAsync(db, _ =>
            {
                db.Experiments.Add(experiment);
                db.ExperimentVariants.AddRange(variants.Select((x, i) => new ExperimentVariant
                {
                    ExperimentId = experiment.Id, Key = x.Key!, Position = i, Tone = x.Tone, Text = x.Text,
                }));
                return Task.FromResult(0);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return Running; // another request started one on this link at the same moment
        }
        return (await ResultAsync(companyId, experiment.Id, ct))!;
    }

    /// <summary>2–4 variants, each a key (1–8 of A–Z, a–z, 0–9) and either a tone of the template or the company's own text with {{link}}.</summary>
    private static List<VariantInput> Variants(Validation v, List<VariantInput?>? input)
    {
        var variants = input?.Where(x => x is not null).Select(x => x!).ToList() ?? [];
        if (input is null || input.Count is < MinVariants or > MaxVariants || variants.Count != input.Count)
        {
            v.Add("variants", "Experiments.Error.Count", MinVariants, MaxVariants);
            return [];
        }
        var result = new List<VariantInput>();
        foreach (var x in variants)
        {
            var key = x.Key?.Trim();
            if (key is null || !KeyPattern().IsMatch(key)) { v.Add("variants", "Experiments.Error.Key"); continue; }
            var text = string.IsNullOrWhiteSpace(x.Text) ? null : x.Text.Replace("\r\n", "\n");
            var tone = string.IsNullOrWhiteSpace(x.Tone) ? null : x.Tone.Trim();
            if ((text is null) == (tone is null)) v.Add("variants", "Experiments.Error.ToneOrText", key);
            else if (tone is not null && !RejectionTemplate.Tones.Contains(tone)) v.Add("variants", "Error.OneOf", string.Join(", ", RejectionTemplate.Tones));
            else if (text is not null && (text.Length > RejectionTemplate.MaxText || !text.Contains(RejectionTemplate.LinkPlaceholder, StringComparison.Ordinal)))
                v.Add("variants", "Experiments.Error.Text", key, RejectionTemplate.MaxText);
            result.Add(new VariantInput(key, tone, text));
        }
        if (result.Select(r => r.Key).Distinct().Count() != result.Count) v.Add("variants", "Experiments.Error.DuplicateKey");
        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,8}$")] private static partial Regex KeyPattern();

    public async Task<List<ExperimentItem>> ListAsync(string companyId, CancellationToken ct)
    {
        var rows = await (from e in db.Experiments.AsNoTracking()
                          join l in db.RelayLinks on e.LinkId equals l.Id
                          where e.CompanyId == companyId
                          orderby e.CreatedAt descending, e.Id
                          select new { e, l.Label }).Take(200).ToListAsync(ct);
        var ids = rows.Select(r => r.e.Id).ToList();
        var keys = (await db.ExperimentVariants.AsNoTracking().Where(x => ids.Contains(x.ExperimentId)).ToListAsync(ct))
            .ToLookup(x => x.ExperimentId);
        return rows.Select(r => new ExperimentItem(r.e.Id, r.e.LinkId, r.Label, r.e.Name, r.e.Status, r.e.Winner,
            keys[r.e.Id].OrderBy(k => k.Position).Select(k => k.Key).ToList(), r.e.CreatedAt, r.e.EndedAt)).ToList();
    }

    /// <summary>Each variant's funnel and statistics; null when the experiment is not this company's.</summary>
    public async Task<ExperimentResult?> ResultAsync(string companyId, string id, CancellationToken ct)
    {
        var found = await (from e in db.Experiments.AsNoTracking()
                           join l in db.RelayLinks on e.LinkId equals l.Id
                           where e.Id == id && e.CompanyId == companyId
                           select new { e, l.Label }).FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var variants = await db.ExperimentVariants.AsNoTracking().Where(x => x.ExperimentId == id).OrderBy(x => x.Position).ToListAsync(ct);
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.ExperimentId == id)
            .GroupBy(i => i.Variant).Select(g => new { Key = g.Key!, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        // Through the invitation's own RegistrationId (set when it was used): the registrations' primary key, no extra index.
        var funnel = await (from i in db.Invitations.AsNoTracking()
                            join r in db.Registrations on i.RegistrationId equals r.Id
                            where i.ExperimentId == id
                            group r by i.Variant into g
                            select new
                            {
                                Key = g.Key!,
                                Registrations = g.Count(),
                                Verified = g.Count(r => r.VerifiedAt != null),
                                Qualified = g.Count(r => r.Status == RegistrationStatus.Qualified),
                            }).ToDictionaryAsync(g => g.Key, ct);
        return Compute(found.e, found.Label, options.Value.MinimumInvitations, variants.Select(x => (x,
            invitations.GetValueOrDefault(x.Key),
            funnel.TryGetValue(x.Key, out var f) ? (f.Registrations, f.Verified, f.Qualified) : (0, 0, 0))).ToList());
    }

    /// <summary>The figures and the statistics of each variant against the first.</summary>
    public static ExperimentResult Compute(Experiment e, string linkLabel, int minimum,
        IReadOnlyList<(ExperimentVariant Variant, int Invitations, (int Registrations, int Verified, int Qualified) Funnel)> rows)
    {
        var tooEarly = rows.Any(r => r.Invitations < minimum);
        var (_, n0, (_, x0, _)) = rows[0];
        var results = rows.Select((r, i) =>
        {
            var (variant, n, (registrations, verified, qualified)) = r;
            var interval = ExperimentStatistics.Wilson(verified, n);
            var test = i == 0 ? null : ExperimentStatistics.TwoProportionTest(x0, n0, verified, n);
            return new VariantResult(variant.Key, variant.Tone, variant.Text, n, variant.Clicks, registrations, verified, qualified,
                n == 0 ? null : (double)verified / n, interval?.Low, interval?.High, test?.Z, test?.PValue,
                i == 0 ? ExperimentVerdicts.Baseline : ExperimentStatistics.Verdict(test, tooEarly));
        }).ToList();
        return new ExperimentResult(e.Id, e.LinkId, linkLabel, e.Name, e.Status, e.Winner, minimum, tooEarly, e.CreatedAt, e.EndedAt, results);
    }

    /// <summary>Ends the experiment and makes the variant's wording the link's template.</summary>
    public Task<Result<ExperimentResult>> PromoteAsync(string companyId, string id, string? key, CancellationToken ct) =>
        EndAsync(companyId, id, key, requireKey: true, ct);

    /// <summary>Ends the experiment with no winner; the link keeps the wording it had.</summary>
    public Task<Result<ExperimentResult>> StopAsync(string companyId, string id, CancellationToken ct) => EndAsync(companyId, id, null, requireKey: false, ct);

    private async Task<Result<ExperimentResult>> EndAsync(string companyId, string id, string? key, bool requireKey, CancellationToken ct)
    {
        if (requireKey && string.IsNullOrWhiteSpace(key)) return ApiError.Invalid("key", "Error.Required");
        var failure = await gate.RunAsync<ApiError?>(db, async t =>
        {
            var experiment = await db.Experiments.FirstOrDefaultAsync(e => e.Id == id && e.CompanyId == companyId, t);
            if (experiment is null) return ApiError.NotFound("experiment");
            if (experiment.Status != ExperimentStatus.Running) return Ended(experiment.Status);
            var now = clock.GetUtcNow().UtcDateTime;
            if (requireKey)
            {
                var variant = await db.ExperimentVariants.AsNoTracking().FirstOrDefaultAsync(v => v.ExperimentId == id && v.Key == key!.Trim(), t);
                if (variant is null) return ApiError.Invalid("key", "Experiments.Error.NoSuchVariant");
                var link = await db.RelayLinks.SingleAsync(l => l.Id == experiment.LinkId, t);
                link.TemplateTone = variant.Tone;
                link.TemplateText = variant.Text;
                experiment.Winner = variant.Key;
                experiment.Status = ExperimentStatus.Promoted;
            }
            else experiment.Status = ExperimentStatus.Stopped;
            experiment.RunningLinkId = null;
            experiment.EndedAt = now;
            return null;
        }, ct);
        if (failure is not null) return failure;
        return (await ResultAsync(companyId, id, ct))!;
    }
}
