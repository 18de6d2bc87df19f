using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.CompanyConsole;

public static class TenantUsers
{
    /// <summary>A new tenant's contact becomes its first admin, unless that address already belongs to a user (an address has one tenant).</summary>
    public static async Task<TenantUser?> FirstAdminAsync(CareerRelayDb db, string tenantType, string tenantId, string contactEmail, DateTime now, CancellationToken ct)
    {
        var email = PersonIdentity.NormaliseEmail(contactEmail);
        if (await db.TenantUsers.AnyAsync(u => u.Email == email, ct)) return null;
        return new TenantUser { Id = Ids.New(), TenantType = tenantType, TenantId = tenantId, Email = email, Role = ConsoleRoles.Admin, CreatedAt = now };
    }
}
