using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Registrations;

public sealed record ConsentInput(int? NoticeVersion, List<string>? AgencyIds);

/// <summary>The body of <c>POST /api/v1/public/registrations</c> (and the landing page's form).</summary>
public sealed record RegistrationRequest(
    string? Token, string? Name, string? Email, string? NameKana, string? Phone, string? Prefecture,
    string? DesiredOccupation, List<string?>? Skills, ConsentInput? Consent);

public sealed record RegistrationAccepted(string RegistrationId, string Status);

/// <summary>
/// A candidate signs up through a link or invitation (SPEC §4 "at registration"): the link is active,
/// the consent names offered agencies and the current notice, an invitation is unused. The registration,
/// its consents and its verification mail are written in one transaction, so an acknowledged
/// registration always has its mail queued.
/// </summary>
public sealed class RegisterCandidate(
    CareerRelayDb db, DbWriteGate gate, RelayEntries entries, CandidateVault vault, LookupHasher hasher,
    MailOutbox outbox, PublicUrls urls, IOptions<RelayOptions> relay, IOptions<CareerRelayOptions> site, TimeProvider clock)
{
    public async Task<Result<RegistrationAccepted>> HandleAsync(RegistrationRequest request, string? ip, string lang, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(request.Token)) return ApiError.Validation("token", "Give the token of the relay link or invitation.");
        var entry = await entries.ResolveAsync(request.Token!, ct);
        if (entry is null) return ApiError.NotFound("link");
        if (entry.Paused) return new ApiError(410, ProblemCodes.LinkPaused, "Link paused", "This link is not accepting registrations right now.");
        if (entry.InvitationUsed) return InvitationUsed();

        var validation = new Validation();
        var input = ValidateProfile(request, validation, lang);
        if (!validation.IsValid) return validation.ToError();

        var notice = await entries.CurrentNoticeAsync(ct);
        var offered = (await entries.OfferedAgenciesAsync(entry.CompanyId, ct)).Select(a => a.Id).ToHashSet();
        var chosen = request.Consent?.AgencyIds?.Where(id => id is not null).Distinct().ToList() ?? [];
        if (request.Consent?.NoticeVersion != notice.Version || chosen.Count == 0 || !chosen.All(offered.Contains))
            return new ApiError(400, ProblemCodes.ConsentRequired, "Consent required",
                "Consent must name the current notice version and at least one of the agencies this link offers.",
                new Dictionary<string, string[]>
                {
                    ["consent"] = [Texts.Get(request.Consent?.NoticeVersion is int v && v != notice.Version ? "Error.NoticeOutdated" : "Error.Agencies", lang)],
                });

        var now = clock.GetUtcNow().UtcDateTime;
        var email = input.Email;
        var emailHash = hasher.Person("email:" + email);
        var phone = PersonIdentity.NormalisePhone(input.Phone);
        var phoneHash = phone is null ? null : hasher.Person("phone:" + phone);
        var ipHash = hasher.Ip(ip);
        var code = SecretTokens.New(24);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await gate.RunAsync<Result<RegistrationAccepted>>(db, async token =>
                {
                    var registrationId = Ids.New();
                    if (entry.InvitationId is not null)
                    {
                        // The invitation is spent by its first accepted registration; the conditional update decides races.
                        var claimed = await db.Invitations
                            .Where(i => i.Id == entry.InvitationId && i.UsedAt == null)
                            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.RegistrationId, registrationId), token);
                        if (claimed == 0) return InvitationUsed();
                    }

                    var (candidateId, dataKey) = await FindOrCreateCandidateAsync(emailHash, phoneHash, input, now, token);
                    db.Registrations.Add(new Registration
                    {
                        Id = registrationId,
                        CompanyId = entry.CompanyId,
                        LinkId = entry.LinkId,
                        InvitationId = entry.InvitationId,
                        CandidateId = candidateId,
                        EmailHash = emailHash,
                        PhoneHash = phoneHash,
                        Status = RegistrationStatus.PendingVerification,
                        CodeHash = SecretTokens.Hash(code),
                        CodeExpiresAt = now.AddDays(relay.Value.VerificationValidDays),
                        IpHash = ipHash,
                        SubmittedProfile = vault.Seal(dataKey, input),
                        Lang = lang,
                        CreatedAt = now,
                    });
                    foreach (var agencyId in chosen)
                        db.Consents.Add(new Consent
                        {
                            Id = Ids.New(), CandidateId = candidateId, RegistrationId = registrationId, AgencyId = agencyId,
                            NoticeVersion = notice.Version, GivenAt = now, IpHash = ipHash,
                        });

                    var operatorInfo = site.Value.Operator;
                    outbox.Enqueue(db, candidateId, dataKey, "verification", new MailContent(
                        input.Email,
                        Texts.Get("Mail.Verify.Subject", lang),
                        Texts.Format("Mail.Verify.Body", lang, input.Name, urls.To($"/verify/{code}{(lang == Lang.English ? "?lang=en" : "")}"),
                            relay.Value.VerificationValidDays, operatorInfo.Name, operatorInfo.ComplaintContact),
                        lang), now);
                    return new RegistrationAccepted(registrationId, RegistrationStatus.PendingVerification);
                }, ct);
            }
            catch (Exception ex) when (attempt == 1 && DbWriteGate.IsUniqueViolation(ex))
            {
                // Two first registrations of one new person raced (PostgreSQL); the retry finds the winner's candidate row.
            }
        }
    }

    private static ApiError InvitationUsed() =>
        new(409, ProblemCodes.InvitationUsed, "Invitation used", "This personal invitation has already been used.");

    /// <summary>One candidate per person (email). A new registration's profile waits on the registration until verified.</summary>
    private async Task<(string CandidateId, byte[] DataKey)> FindOrCreateCandidateAsync(
        string emailHash, string? phoneHash, CandidateProfile input, DateTime now, CancellationToken ct)
    {
        var existing = await (from c in db.Candidates
                              join k in db.CandidateKeys on c.Id equals k.CandidateId
                              where c.EmailHash == emailHash
                              select new { c.Id, Key = k }).FirstOrDefaultAsync(ct);
        if (existing is not null) return (existing.Id, vault.Unwrap(existing.Key));

        var candidateId = Ids.New();
        var (dataKey, key) = vault.NewKey(candidateId);
        db.CandidateKeys.Add(key);
        db.Candidates.Add(new Candidate
        {
            Id = candidateId, EmailHash = emailHash, PhoneHash = phoneHash,
            Profile = vault.Seal(dataKey, input), CreatedAt = now, UpdatedAt = now,
        });
        return (candidateId, dataKey);
    }

    /// <summary>Field rules shared by the JSON API and the landing form; messages in the visitor's language.</summary>
    public static CandidateProfile ValidateProfile(RegistrationRequest r, Validation v, string lang)
    {
        string Required(string field, string? value, int max)
        {
            var trimmed = value?.Trim() ?? "";
            if (trimmed.Length == 0) v.Add(field, Texts.Get("Error.Required", lang));
            else if (trimmed.Length > max) v.Add(field, Texts.Format("Error.TooLong", lang, max));
            else if (trimmed.Any(char.IsControl)) v.Add(field, Texts.Get("Error.Invalid", lang));
            return trimmed;
        }
        string? Optional(string field, string? value, int max)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed)) return null;
            if (trimmed.Length > max) v.Add(field, Texts.Format("Error.TooLong", lang, max));
            else if (trimmed.Any(char.IsControl)) v.Add(field, Texts.Get("Error.Invalid", lang));
            return trimmed;
        }

        var name = Required("name", r.Name, 100);
        var email = Required("email", r.Email, 254);
        if (email.Length > 0 && !v.Errors.ContainsKey("email") && !PersonIdentity.IsPlausibleEmail(PersonIdentity.NormaliseEmail(email)))
            v.Add("email", Texts.Get("Error.Email", lang));
        var kana = Optional("nameKana", r.NameKana, 100);
        var phone = Optional("phone", r.Phone, 30);
        if (phone is not null && !v.Errors.ContainsKey("phone") && !PersonIdentity.IsPlausiblePhone(phone))
            v.Add("phone", Texts.Get("Error.Phone", lang));
        var prefecture = Optional("prefecture", r.Prefecture, 2);
        if (prefecture is not null && !Prefectures.IsValid(prefecture)) v.Add("prefecture", Texts.Get("Error.Prefecture", lang));
        var occupation = Optional("desiredOccupation", r.DesiredOccupation, 100);
        var skills = (r.Skills ?? []).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct().ToList();
        if (skills.Count > 50 || skills.Any(s => s.Length > 100 || s.Any(char.IsControl))) v.Add("skills", Texts.Get("Error.Skills", lang));
        // The address is kept as normalised (SPEC §4), so mail goes to ｔａｒｏ＠… typed on a phone as taro@….
        return new CandidateProfile(name, PersonIdentity.NormaliseEmail(email), kana, phone, prefecture, occupation, skills);
    }
}
