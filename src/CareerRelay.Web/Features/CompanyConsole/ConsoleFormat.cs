using System.Globalization;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>How the console writes times (Japan time) and ledger entries for people.</summary>
public static class ConsoleFormat
{
    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    public static string Jst(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc,
        DateTimeKind.Utc)).ToOffset(JapanOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Signed(int amount) => amount > 0 ? $"+{amount}" : amount.ToString(CultureInfo.InvariantCulture);

    public static string LedgerReason(string type, string lang) => Texts.Get($"LedgerType.{type}", lang);
}
