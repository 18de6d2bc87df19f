namespace CareerRelay.Tests.Features.Messages;

/// <summary>A registered, confirmed person who chose one agency of their own (with its own contact address), for conversation tests.</summary>
public sealed record Person(ApiClient.Tenant Agency, string AgencyContact, string Email, string CandidateId, string Me);

public static class People
{
    public static async Task<Person> RegisterAsync(CareerRelayApp app, ApiClient api, string name = "佐藤 花子")
    {
        var contact = $"{ApiClient.Unique("agency")}@agency.example";
        var company = await api.CreateCompanyAsync();
        var agency = await api.CreateAgencyAsync(contactEmail: contact);
        await api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var token = (await api.PostAsync("/api/v1/company/links", new { label = "面談" }, company.Key)).Body!["token"]!.GetValue<string>();
        var email = $"{ApiClient.Unique("person")}@example.jp";
        var registrationId = await api.RegisterAndVerifyAsync(token, email, agency.Id, name: name);
        var candidateId = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.CandidateId).FirstAsync());
        return new Person(agency, contact, email, candidateId, await api.MeTokenAsync(email));
    }
}
