namespace CareerRelay.Web.Infrastructure.Localization;

/// <summary>
/// Japan time and business days (SPEC §6: schedules use JST; a weekday excludes national holidays).
/// Holidays follow 国民の祝日に関する法律 as it stands since 2020: fixed days, Happy Monday days, the equinoxes
/// (the usual 1980–2099 approximation), 振替休日 and 国民の休日 — and the one-off moves of 2020 and 2021 (the Tokyo
/// Olympics' special measures act: 海の日, スポーツの日 and 山の日 moved to the games). Checked in the tests against the
/// published list of the npm package @holiday-jp/holiday_jp for 2020–2030.
/// </summary>
public static class JapanCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTime ToJst(DateTime utc) => utc + Offset;

    public static bool IsBusinessDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(day);

    /// <summary>The first business-day moment at <paramref name="timeOfDay"/> JST that is not before <paramref name="nowUtc"/>.</summary>
    public static DateTime NextBusinessDayAt(DateTime nowUtc, TimeOnly timeOfDay)
    {
        var day = DateOnly.FromDateTime(ToJst(nowUtc));
        for (var i = 0; i < 30; i++, day = day.AddDays(1))
        {
            var at = DateTime.SpecifyKind(day.ToDateTime(timeOfDay) - Offset, DateTimeKind.Utc);
            if (at >= nowUtc && IsBusinessDay(day)) return at;
        }
        throw new InvalidOperationException("No business day within 30 days.");
    }

    public static bool IsHoliday(DateOnly day)
    {
        if (IsNamedHoliday(day)) return true;
        // 振替休日: a holiday on a Sunday moves to the next day that is not already a holiday.
        for (var back = day.AddDays(-1); IsNamedHoliday(back); back = back.AddDays(-1))
            if (back.DayOfWeek == DayOfWeek.Sunday) return true;
        // 国民の休日: a plain day between two holidays.
        return day.DayOfWeek != DayOfWeek.Sunday && IsNamedHoliday(day.AddDays(-1)) && IsNamedHoliday(day.AddDays(1));
    }

    /// <summary>2020 and 2021: 海の日, スポーツの日 and 山の日 on these days instead of their usual ones.</summary>
    private static readonly Dictionary<int, DateOnly[]> OlympicMoves = new()
    {
        [2020] = [new(2020, 7, 23), new(2020, 7, 24), new(2020, 8, 10)],
        [2021] = [new(2021, 7, 22), new(2021, 7, 23), new(2021, 8, 8)],
    };

    private static bool IsNamedHoliday(DateOnly d)
    {
        if (OlympicMoves.TryGetValue(d.Year, out var moved))
        {
            if (moved.Contains(d)) return true;
            if (d.Month is 7 or 8 or 10 && IsUsualMovable(d)) return false; // moved away this year
        }
        return (d.Month, d.Day) switch
        {
            (1, 1) or (2, 11) or (2, 23) or (4, 29) or (5, 3) or (5, 4) or (5, 5) or (11, 3) or (11, 23) => true,
            (8, 11) => true,               // 山の日
            (1, _) => IsNthMonday(d, 2),   // 成人の日
            (7, _) => IsNthMonday(d, 3),   // 海の日
            (9, _) => IsNthMonday(d, 3) || d.Day == Equinox(d.Year, 23.2488), // 敬老の日, 秋分の日
            (10, _) => IsNthMonday(d, 2),  // スポーツの日
            (3, _) => d.Day == Equinox(d.Year, 20.8431), // 春分の日
            _ => false,
        };
    }

    /// <summary>The usual days of the three holidays the 2020–2021 act moved.</summary>
    private static bool IsUsualMovable(DateOnly d) =>
        (d.Month == 7 && IsNthMonday(d, 3)) || (d.Month == 8 && d.Day == 11) || (d.Month == 10 && IsNthMonday(d, 2));

    private static bool IsNthMonday(DateOnly d, int n) => d.DayOfWeek == DayOfWeek.Monday && (d.Day - 1) / 7 == n - 1;

    private static int Equinox(int year, double baseDay) =>
        (int)Math.Floor(baseDay + 0.242194 * (year - 1980) - Math.Floor((year - 1980) / 4.0));
}
