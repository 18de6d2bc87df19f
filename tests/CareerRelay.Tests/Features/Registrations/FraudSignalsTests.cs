using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>The fraud signals that are pure rules, without a database.</summary>
public sealed class FraudSignalsTests
{
    [Theory]
    [InlineData("staff@acme.co.jp", "acme.co.jp", true)]
    [InlineData("staff@tokyo.acme.co.jp", "acme.co.jp", true)]
    [InlineData("me@notacme.co.jp", "acme.co.jp", false)]
    [InlineData("me@gmail.com", "gmail.com", false)]
    public void IsCompanyDomain_MatchesDomainAndSubdomainsButNeverFreeMail(string email, string companyDomain, bool expected) =>
        Assert.Equal(expected, FraudSignals.IsCompanyDomain(PersonIdentity.DomainOf(email), companyDomain));
}
