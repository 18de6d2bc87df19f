using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Companies;

/// <summary>
/// Every figure a company reads about its relay, by one name: the dashboard, the trend, the loop card, the monthly report and its
/// CSV all say each one with the same words (<c>Figure.{name}</c>) and explain it with the same definition
/// (<c>Figure.{name}.Definition</c>), so no two places can call one number differently or two numbers alike.
/// The names are the report CSV's <c>measure</c> column and, mostly, the API's field names (docs/figures.md maps each one).
/// </summary>
[TextKeys("Figure.{0}"), TextKeys("Figure.{0}.Definition")]
public static class CompanyFigures
{
    public const string Invitations = "invitations";
    public const string Clicks = "clicks";
    public const string Registrations = "registrations";
    public const string Verified = "verified";
    /// <summary>紹介カウント: verified, not a duplicate, not held — what earns slots (SPEC §4).</summary>
    public const string Qualified = "qualified";
    public const string Reversed = "reversed";
    /// <summary>People this company relayed who were placed anywhere, back at this company included.</summary>
    public const string Placements = "placements";
    /// <summary>People this company relayed who were placed at another company.</summary>
    public const string PlacedElsewhere = "placedElsewhere";
    public const string SlotsEarned = "slotsEarned";
    public const string SlotsReversed = "slotsReversed";
    public const string SlotsRedeemed = "slotsRedeemed";
    public const string SlotsReturned = "slotsReturned";
    public const string SlotsAvailable = "slotsAvailable";
    public const string SlotsOwed = "slotsOwed";
    public const string Held = "held";
    public const string ReferralsIn = "referralsIn";
    public const string ReferralHires = "referralHires";
    public const string RejectionsRelayed = "rejectionsRelayed";
    public const string Reapplications = "reapplications";
    /// <summary>6-month 定着率 of this company's own hires through agencies (a percentage).</summary>
    public const string RetentionHires = "retentionHires";
    /// <summary>採用リードタイム of those hires: median days from registration to the placement.</summary>
    public const string LeadTimeHires = "leadTimeHires";
    /// <summary>The same two of the people this company relayed who were hired elsewhere: shown from five people.</summary>
    public const string RetentionRelayed = "retentionRelayed";
    public const string LeadTimeRelayed = "leadTimeRelayed";
    /// <summary>The same two of this company's hires through referrals (from the confirmed application to 入社).</summary>
    public const string RetentionReferralHires = "retentionReferralHires";
    public const string LeadTimeReferralHires = "leadTimeReferralHires";
    /// <summary>アルムナイ: confirmed members of the company's alumni network (at the month's end, in the report).</summary>
    public const string AlumniMembers = "alumniMembers";
    /// <summary>Alumni the company recorded as re-hired (in the month, in the report).</summary>
    public const string AlumniRehires = "alumniRehires";
    /// <summary>Alumni the company recorded as engaged on contract (業務委託).</summary>
    public const string AlumniContracts = "alumniContracts";
    /// <summary>Confirmed referral applications made through the company's alumni referrers.</summary>
    public const string AlumniReferrals = "alumniReferrals";

    /// <summary>What the dashboard shows, in the order of its definitions list.</summary>
    public static readonly string[] OnDashboard =
    [
        Invitations, Clicks, Registrations, Verified, Qualified, Placements, PlacedElsewhere, SlotsEarned, SlotsRedeemed, SlotsAvailable, SlotsOwed,
        Held, ReferralsIn, ReferralHires, RejectionsRelayed, Reapplications, RetentionHires, LeadTimeHires, RetentionRelayed, LeadTimeRelayed,
        RetentionReferralHires, LeadTimeReferralHires, AlumniMembers, AlumniRehires, AlumniContracts, AlumniReferrals,
    ];

    /// <summary>The alumni card's figures, in its order (dashboard and report).</summary>
    public static readonly string[] Alumni = [AlumniMembers, AlumniRehires, AlumniContracts, AlumniReferrals];
}
