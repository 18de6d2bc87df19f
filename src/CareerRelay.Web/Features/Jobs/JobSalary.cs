using System.Globalization;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Jobs;

/// <summary>A job's yearly salary as a person reads it: 「年収 400万〜600万円」, "¥4,000,000–¥6,000,000 a year".</summary>
public static class JobSalary
{
    public static string Describe(int? min, int? max, string lang) => (min, max) switch
    {
        (int a, int b) => Texts.Format("Job.Salary.Range", lang, Amount(a, lang), Amount(b, lang)),
        (int a, null) => Texts.Format("Job.Salary.From", lang, Amount(a, lang)),
        (null, int b) => Texts.Format("Job.Salary.UpTo", lang, Amount(b, lang)),
        _ => Texts.Get("Job.Salary.None", lang),
    };

    /// <summary>Japanese readers count salaries in 万 (ten thousand yen); others in yen.</summary>
    private static string Amount(int yen, string lang) =>
        lang == Lang.English ? yen.ToString("N0", CultureInfo.InvariantCulture)
        : yen % 10_000 == 0 ? (yen / 10_000).ToString("N0", CultureInfo.InvariantCulture) + "万"
        : (yen / 10_000m).ToString("#,0.#", CultureInfo.InvariantCulture) + "万";
}
