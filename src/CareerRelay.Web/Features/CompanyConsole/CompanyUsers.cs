using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.CompanyConsole;

public static class CompanyUsers
{
    /// <summary>The company's contact becomes its first console admin, unless that address already belongs to a user.</summary>
    public static async Task<CompanyUser?> FirstAdminAsync(CareerRelayDb db, string companyId, string contactEmail, DateTime now, CancellationToken ct)
    {
        var email = PersonIdentity.NormaliseEmail(contactEmail);
        if (await db.CompanyUsers.AnyAsync(u => u.Email == email, ct)) return null;
        return new CompanyUser { Id = Ids.New(), CompanyId = companyId, Email = email, Role = ConsoleRoles.Admin, CreatedAt = now };
    }
}
