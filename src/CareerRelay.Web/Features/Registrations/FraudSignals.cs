namespace CareerRelay.Web.Features.Registrations;

/// <summary>The reasons a verified registration is held for the operator instead of counting (SPEC §4).</summary>
[Infrastructure.Localization.TextKeys("Hold.Reason.{0}")]
public static class HoldReasons
{
    public const string IpBurst = "ip_burst";
    public const string LinkBurst = "link_burst";
    public const string CompanyDomain = "company_domain";
    public const string DisposableEmail = "disposable_email";
    public const string MultipleCompanies = "multiple_companies";
    /// <summary>The operator banned the link it came through.</summary>
    public const string LinkBanned = "link_banned";

    public static readonly string[] All = [LinkBanned, IpBurst, LinkBurst, CompanyDomain, DisposableEmail, MultipleCompanies];
}

/// <summary>Pure checks on an email domain. The counted signals (IP, link, companies) live in <see cref="QualifyRegistration"/>.</summary>
public static class FraudSignals
{
    // Free-mail providers are never "the company's own domain": a small company may use one for hiring.
    private static readonly HashSet<string> FreeMailDomains =
    [
        "gmail.com", "googlemail.com", "yahoo.co.jp", "yahoo.com", "ymail.ne.jp", "outlook.com", "outlook.jp",
        "hotmail.com", "hotmail.co.jp", "live.jp", "live.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "nifty.com", "biglobe.ne.jp",
        "ocn.ne.jp", "so-net.ne.jp", "proton.me", "protonmail.com",
    ];

    private static readonly HashSet<string> DisposableDomains =
    [
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com", "10minutemail.com",
        "temp-mail.org", "tempmail.com", "yopmail.com", "yopmail.fr", "trashmail.com", "trashmail.de", "getnada.com",
        "dispostable.com", "maildrop.cc", "throwawaymail.com", "fakeinbox.com", "mailnesia.com", "mintemail.com",
        "emailondeck.com", "tempr.email", "discard.email", "moakt.com", "spamgourmet.com", "mohmal.com",
        "mailcatch.com", "tempmailo.com", "burnermail.io", "33mail.com", "spambox.us", "mytemp.email",
    ];

    public static bool IsCompanyDomain(string candidateDomain, string companyDomain) =>
        !FreeMailDomains.Contains(companyDomain) &&
        (candidateDomain == companyDomain || candidateDomain.EndsWith("." + companyDomain, StringComparison.Ordinal));

    public static bool IsDisposable(string domain) =>
        DisposableDomains.Contains(domain) || DisposableDomains.Any(d => domain.EndsWith("." + d, StringComparison.Ordinal));
}
