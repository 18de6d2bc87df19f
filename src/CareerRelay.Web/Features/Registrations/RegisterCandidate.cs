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
    string? DesiredOccupation, List<string?>? Skills, ConsentInput? Consent, string? Source = null,
    string? SchoolId = null, string? School = null, int? GraduationYear = null, bool? ShareSchoolOutcomes = null);

public sealed record RegistrationAccepted(string RegistrationId, string Status);

/// <summary>
/// A candidate signs up through a link or invitation (SPEC §4 "at registration"): the link is active,
/// the consent names offered agencies and the current notice, an invitation is unused. The registration,
/// its consents and its verification mail are written in one transaction by <see cref="RegistrationWriter"/>,
/// so an acknowledged registration always has its mail queued.
/// </summary>
public sealed class RegisterCandidate(
    RelayEntries entries, RegistrationWriter writer, CandidateVault vault, LookupHasher hasher, PublicUrls urls,
    Education.PartnerSchools schools, TimeProvider clock, IOptions<RelayOptions> relay, IOptions<CareerRelayOptions> site)
{
    public async Task<Result<RegistrationAccepted>> HandleAsync(RegistrationRequest request, string? ip, string lang, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(request.Token)) return ApiError.Invalid("token", "Error.Token");
        var entry = await entries.ResolveAsync(request.Token!, ct);
        if (entry is null) return RegistrationErrors.LinkNotFound;
        if (entry.Paused) return RegistrationErrors.LinkPaused;
        if (entry.InvitationUsed) return RegistrationErrors.InvitationUsed;

        var validation = new Validation();
        var input = CandidateProfile.Basics(validation, request.Name, request.Email, request.NameKana, request.Phone, request.Prefecture,
            request.DesiredOccupation, request.Skills);
        // Their school, if they name one (optional): kept with the submitted profile and tied to the partner school only when they confirm.
        if (request.SchoolId is { Length: > 0 } || request.School is { Length: > 0 } || request.GraduationYear is not null || request.ShareSchoolOutcomes == true)
        {
            var choice = new Education.SchoolChoice(request.SchoolId, request.School, request.GraduationYear, request.ShareSchoolOutcomes == true, false);
            var (school, other) = Education.PartnerSchools.Check(validation, choice, await schools.AllAsync(ct), Education.SchoolOutcomes.LastGraduationYearOn(clock),
                otherField: "school", shareField: "shareSchoolOutcomes");
            input = input with { School = school?.Name ?? other, PendingSchool = school is null ? null : choice with { SchoolId = school.Id, OtherName = null } };
        }
        if (!validation.IsValid) return validation.ToError(lang);

        var notice = await entries.CurrentNoticeAsync(ct);
        var offered = await entries.OfferedAgenciesAsync(entry.CompanyId, ct);
        var chosen = Chosen(request.Consent?.AgencyIds);
        if (request.Consent?.NoticeVersion != notice.Version || chosen.Count == 0 || !AllOffered(offered, chosen))
        {
            var message = new FieldMessage(request.Consent?.NoticeVersion is int v && v != notice.Version ? "Error.NoticeOutdated" : "Error.Agencies");
            return RegistrationErrors.ConsentRequired(message, lang);
        }

        var email = input.Email;
        var phone = PersonIdentity.NormalisePhone(input.Phone);
        var code = SecretTokens.New(24);
        var operatorInfo = site.Value.Operator;
        var mail = new MailContent(
            email,
            Texts.Get("Mail.Verify.Subject", lang),
            Texts.Format("Mail.Verify.Body", lang, input.Name, urls.To("/verify/", code, Lang.Query(lang)),
                relay.Value.VerificationValidDays, operatorInfo.Name, operatorInfo.ComplaintContact),
            lang);
        var candidateId = Ids.New();
        var (dataKey, key) = vault.NewKey(candidateId);
        var draft = new RegistrationDraft(
            RegistrationId: Ids.New(),
            Entry: entry,
            Profile: input,
            EmailHash: hasher.Person("email:", email),
            PhoneHash: phone is null ? null : hasher.Person("phone:", phone),
            IpHash: hasher.Ip(ip),
            CodeHash: SecretTokens.Hash(code),
            NoticeVersion: notice.Version,
            AgencyIds: chosen,
            Lang: lang,
            Mail: mail,
            Source: entry.SourceOf(request.Source),
            IfNew: new NewCandidate(candidateId, dataKey, key, vault.Seal(dataKey, input), MailOutbox.Seal(dataKey, mail)));

        var written = await writer.WriteAsync(draft, ct);
        return written == RegistrationWriter.Outcome.InvitationUsed
            ? RegistrationErrors.InvitationUsed
            : new RegistrationAccepted(draft.RegistrationId, RegistrationStatus.PendingVerification);
    }

    // A handful of agencies at most: plain loops, not a set and LINQ per registration.
    private static List<string> Chosen(List<string>? ids)
    {
        if (ids is { Count: > 16 }) return ids.Where(id => id is not null).Distinct().ToList()!; // a hostile list: no quadratic loop
        var chosen = new List<string>(ids?.Count ?? 0);
        if (ids is null) return chosen;
        foreach (var id in ids)
            if (id is not null && !chosen.Contains(id)) chosen.Add(id);
        return chosen;
    }

    private static bool AllOffered(IReadOnlyList<Tenants.Agency> offered, List<string> chosen)
    {
        foreach (var id in chosen)
            if (!IsOffered(offered, id)) return false;
        return true;
    }

    private static bool IsOffered(IReadOnlyList<Tenants.Agency> offered, string id)
    {
        foreach (var agency in offered)
            if (agency.Id == id) return true;
        return false;
    }
}
