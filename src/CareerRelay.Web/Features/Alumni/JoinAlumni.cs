using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// The former employee's side: the alumni link's page, joining (double opt-in — the company sees nothing until the person
/// confirms), and the confirmation that hands the chosen fields to that company and, with 転職支援, the profile to the
/// agencies they chose, exactly as a relay registration's consent does. Joining is never a qualified referral.
/// </summary>
public sealed class JoinAlumni(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, LookupHasher hasher,
    RelayEntries entries, MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan CodeValidFor = TimeSpan.FromDays(7);
    public const int MaxRole = 100, FirstYear = 1950;

    /// <summary>The alumni link with its company; null when unknown (a paused one is returned: its page says so).</summary>
    public async Task<AlumniEntry?> ResolveAsync(string? token, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return null;
        var found = await (from l in db.AlumniLinks.AsNoTracking()
                           join c in db.Companies on l.CompanyId equals c.Id
                           where l.Token == token
                           select new { l, c.Name }).FirstOrDefaultAsync(ct);
        return found is null ? null : new AlumniEntry(found.l, found.Name);
    }

    /// <summary>The partner agencies a member choosing 転職支援 may consent to, and the notice they consent under.</summary>
    public async Task<(IReadOnlyList<Tenants.Agency> Agencies, Notices.ConsentNotice Notice)> ConsentChoiceAsync(string companyId, CancellationToken ct) =>
        (await entries.OfferedAgenciesAsync(companyId, ct), await entries.CurrentNoticeAsync(ct));

    /// <summary>
    /// Validates, finds or creates the person (one per address; an existing person's profile is not changed by this form), seals
    /// what they entered with their own key and mails a confirmation link. A member already confirmed: nothing changes, and
    /// the answer is the same, so the form tells a stranger nothing. Field errors are keyed by form field.
    /// </summary>
    public async Task<Result<AlumniJoinAccepted>> JoinAsync(AlumniJoinRequest request, string? ip, string lang, CancellationToken ct)
    {
        var entry = await ResolveAsync(request.Token, ct);
        if (entry is null) return ApiError.NotFound("alumni link");
        if (entry.Link.Paused) return RegistrationErrors.LinkPaused;

        var v = new Validation();
        var name = v.Required("name", request.Name, 100);
        var email = PersonIdentity.NormaliseEmail(v.Required("email", request.Email, 254));
        if (email.Length > 0 && !v.Has("email") && !PersonIdentity.IsPlausibleEmail(email)) v.Add("email", "Error.Email");
        var thisYear = JapanCalendar.ToJst(clock.GetUtcNow().UtcDateTime).Year;
        foreach (var (field, year) in new[] { ("joinedYear", request.JoinedYear), ("leftYear", request.LeftYear) })
            if (year is { } y && (y < FirstYear || y > thisYear)) v.Add(field, "Error.Range", FirstYear, thisYear);
        if (request.JoinedYear > request.LeftYear && !v.Has("joinedYear") && !v.Has("leftYear")) v.Add("leftYear", "Alumni.Error.LeftBeforeJoined");
        var role = v.Optional("lastRole", request.LastRole, MaxRole);
        var openTo = OneOf(v, "openTo", request.OpenTo, AlumniOpenTo.All);
        var share = OneOf(v, "share", request.Share, AlumniFields.All);
        if (!v.IsValid) return v.ToError(lang);

        var careerSupport = openTo.Contains(AlumniOpenTo.CareerSupport);
        List<string> agencyIds = [];
        var notice = await entries.CurrentNoticeAsync(ct);
        if (careerSupport)
        {
            // 転職支援 is the relay registration's consent, word for word: the current notice and at least one offered agency.
            var offered = (await entries.OfferedAgenciesAsync(entry.Link.CompanyId, ct)).Select(a => a.Id).ToHashSet();
            agencyIds = request.Consent?.AgencyIds?.Where(id => id is not null).Distinct().ToList() ?? [];
            if (request.Consent?.NoticeVersion != notice.Version || agencyIds.Count == 0 || !agencyIds.All(offered.Contains))
                return RegistrationErrors.ConsentRequired(new FieldMessage(request.Consent?.NoticeVersion is int nv && nv != notice.Version
                    ? "Error.NoticeOutdated" : "Error.Agencies"), lang);
        }

        var details = new AlumniDetails(name, email, request.JoinedYear, request.LeftYear, role, openTo, share);
        var emailHash = hasher.Person("email:" + email);
        var code = SecretTokens.New(24);
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new MailContent(email, Texts.Format("Mail.AlumniVerify.Subject", lang, entry.CompanyName),
            Texts.Format("Mail.AlumniVerify.Body", lang, name, entry.CompanyName, urls.To($"/a/confirm/{code}{Lang.Query(lang)}"), CodeValidFor.Days), lang);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await gate.RunAsync<Result<AlumniJoinAccepted>>(db, async t =>
                {
                    var (candidateId, dataKey, _) = await vault.FindOrAddByEmailAsync(db, emailHash,
                        () => new CandidateProfile(name, email, null, null, null, null, []), null, now, t);
                    var member = await db.AlumniMembers.FirstOrDefaultAsync(m => m.CompanyId == entry.Link.CompanyId && m.CandidateId == candidateId, t);
                    if (member?.Status == AlumniStatus.Confirmed) return new AlumniJoinAccepted(AlumniStatus.Pending);
                    if (member is null)
                    {
                        member = new AlumniMember
                        {
                            Id = Ids.New(), CompanyId = entry.Link.CompanyId, LinkId = entry.Link.Id, CandidateId = candidateId, Status = AlumniStatus.Pending,
                            Details = [], CodeHash = "", IpHash = "", Lang = lang,
                        };
                        db.AlumniMembers.Add(member);
                    }
                    // Pending or left before: this form's answers replace the old ones, and only its own link confirms them.
                    member.LinkId = entry.Link.Id;
                    member.Status = AlumniStatus.Pending;
                    member.Details = cipher.SealJson(dataKey, details);
                    member.JobMails = AlumniOpenTo.WantsJobs(openTo);
                    member.CareerSupport = careerSupport;
                    member.CodeHash = SecretTokens.Hash(code);
                    member.CodeExpiresAt = now + CodeValidFor;
                    member.IpHash = hasher.Ip(ip);
                    member.Lang = lang;
                    member.CreatedAt = now;
                    member.ConfirmedAt = null;
                    member.LeftAt = null;
                    foreach (var agencyId in agencyIds)
                        if (!await db.Consents.AnyAsync(c => c.RegistrationId == member.Id && c.AgencyId == agencyId && c.WithdrawnAt == null, t))
                            db.Consents.Add(new Consent
                            {
                                Id = Ids.New(), CandidateId = candidateId, RegistrationId = member.Id, AgencyId = agencyId,
                                NoticeVersion = notice.Version, GivenAt = now, IpHash = hasher.Ip(ip),
                            });
                    db.OutboxMails.Add(outbox.Create(candidateId, dataKey, "alumni-verification", MailOutbox.Seal(dataKey, mail), now));
                    return new AlumniJoinAccepted(AlumniStatus.Pending);
                }, ct);
            }
            catch (DbUpdateException ex) when (attempt == 0 && DbWriteGate.IsUniqueViolation(ex))
            {
                // The same address joined twice at once: the other request created the person or the membership; go again.
            }
        }
    }

    /// <summary>Distinct, known values of a list field; anything else is refused by name.</summary>
    private static List<string> OneOf(Validation v, string field, IReadOnlyList<string>? values, string[] allowed)
    {
        var list = (values ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).Distinct().ToList();
        if (list.Any(x => !allowed.Contains(x))) v.Add(field, "Error.OneOf", string.Join(", ", allowed));
        return [.. allowed.Where(list.Contains)]; // in the form's order, whatever order they came in
    }

    /// <summary>
    /// The person confirms (POST): the membership reaches the company with a provision record of the shared fields, and the
    /// agencies they chose for 転職支援 receive their profile. Again: no change. Returns the company's name.
    /// </summary>
    public async Task<Result<string>> ConfirmAsync(string? code, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(code)) return ApiError.NotFound("membership");
        var hash = SecretTokens.Hash(code!);
        var now = clock.GetUtcNow().UtcDateTime;
        return await gate.RunAsync(db, async t =>
        {
            var m = await db.AlumniMembers.AsNoTracking().FirstOrDefaultAsync(m => m.CodeHash == hash, t);
            if (m is null) return (Result<string>)ApiError.NotFound("membership");
            var company = await db.Companies.AsNoTracking().Where(c => c.Id == m.CompanyId).Select(c => c.Name).FirstAsync(t);
            if (m.Status != AlumniStatus.Pending) return company;
            if (m.CodeExpiresAt < now) return Referrals.ReferralErrors.CodeExpired;
            var opened = await vault.OpenAsync(db, m.CandidateId, t);
            if (opened is null) return (Result<string>)ApiError.NotFound("membership"); // erased meanwhile
            // The conditional update is the claim: of two racing confirmations one hands the data over, the other finds it done.
            var claimed = await db.AlumniMembers.Where(x => x.Id == m.Id && x.Status == AlumniStatus.Pending && x.CodeHash == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, AlumniStatus.Confirmed).SetProperty(x => x.ConfirmedAt, now), t);
            if (claimed == 0) return company;
            var details = cipher.OpenJson<AlumniDetails>(opened.DataKey, m.Details);
            if (details.Share.Count > 0)
                db.ProvisionRecords.Add(new ProvisionRecord
                {
                    Id = Ids.New(), CandidateId = m.CandidateId, RecipientType = "company", RecipientId = m.CompanyId,
                    Items = ProvisionItems.Join(details.Share), Basis = ProvisionBasis.Consent, CreatedAt = now,
                });
            var agencyIds = await db.Consents.Where(c => c.RegistrationId == m.Id && c.WithdrawnAt == null).Select(c => c.AgencyId).ToListAsync(t);
            await AgencyNotices.HandOverAsync(db, outbox, webhooks, urls, agencyIds, m.CandidateId, VerifyRegistration.ProvidedItems(opened.Profile), now, t);
            return company;
        }, ct);
    }
}
