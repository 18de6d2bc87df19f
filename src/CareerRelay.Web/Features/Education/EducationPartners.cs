using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// The operator adds a school or a training provider: the tenant, its first API key (role <c>school</c> or <c>provider</c>) and its
/// contact as the first admin of its workspace (/school or /provider), as for companies and agencies.
/// </summary>
public sealed class EducationPartners(CareerRelayDb db, DbWriteGate gate, PartnerSchools schools, TimeProvider clock)
{
    public async Task<Result<(EducationPartner Partner, string ApiKey)>> CreateAsync(CreateEducationPartnerRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Required("name", body.Name, 200);
        var kind = v.Required("kind", body.Kind, 40);
        if (kind.Length > 0 && !EducationKinds.All.Contains(kind)) v.Add("kind", "Error.OneOf", string.Join(", ", EducationKinds.All));
        var email = Registrations.PersonIdentity.NormaliseEmail(v.Required("contactEmail", body.ContactEmail, 254));
        if (email.Length > 0 && !v.Has("contactEmail") && !Registrations.PersonIdentity.IsPlausibleEmail(email)) v.Add("contactEmail", "Error.Email");
        if (!v.IsValid) return v.ToError();

        var now = clock.GetUtcNow().UtcDateTime;
        var partner = new EducationPartner { Id = Ids.New(), Name = name, Kind = kind, ContactEmail = email, CreatedAt = now };
        var (role, tenantType) = partner.IsProvider ? (Roles.Provider, TenantTypes.Provider) : (Roles.School, TenantTypes.School);
        var (key, plain) = ApiKeys.Issue(role, partner.Id, "initial", now);
        await gate.RunAsync(db, async token =>
        {
            db.EducationPartners.Add(partner);
            db.ApiKeys.Add(key);
            if (await TenantUsers.FirstAdminAsync(db, tenantType, partner.Id, email, now, token) is { } admin) db.TenantUsers.Add(admin);
            return 0;
        }, ct);
        schools.Invalidate();
        return (partner, plain);
    }

    public async Task<IReadOnlyList<EducationPartnerItem>> ListAsync(CancellationToken ct) =>
        await db.EducationPartners.AsNoTracking().OrderBy(p => p.Kind).ThenBy(p => p.Name)
            .Select(p => new EducationPartnerItem(p.Id, p.Name, p.Kind, p.ContactEmail, p.CreatedAt)).ToListAsync(ct);
}
