using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Tests.Infrastructure.Localization;

/// <summary>Business days for scheduled mail: the computed national holidays match the Cabinet Office's published calendar.</summary>
public sealed class JapanCalendarTests
{
    [Fact]
    public void Holidays2026_MatchThePublishedCalendar_WithTheSubstituteAndCitizensHolidays()
    {
        // 内閣府「国民の祝日」2026: 5/6 is 振替休日 (5/3 falls on a Sunday); 9/22 is 国民の休日 between 敬老の日 and 秋分の日.
        DateOnly[] published =
        [
            new(2026, 1, 1), new(2026, 1, 12), new(2026, 2, 11), new(2026, 2, 23), new(2026, 3, 20), new(2026, 4, 29),
            new(2026, 5, 3), new(2026, 5, 4), new(2026, 5, 5), new(2026, 5, 6), new(2026, 7, 20), new(2026, 8, 11),
            new(2026, 9, 21), new(2026, 9, 22), new(2026, 9, 23), new(2026, 10, 12), new(2026, 11, 3), new(2026, 11, 23),
        ];
        var computed = Enumerable.Range(0, 365).Select(i => new DateOnly(2026, 1, 1).AddDays(i)).Where(JapanCalendar.IsHoliday).ToList();
        Assert.Equal(published, computed);
    }

    /// <summary>
    /// Every national holiday of 2020–2030 against a published list we did not write: the npm package
    /// @holiday-jp/holiday_jp (its lib/holidays.js, pinned by package-lock.json) — including the Olympic moves of 2020–2021,
    /// 振替休日 and 国民の休日. (Equinox days after the Cabinet Office's latest announcement are that list's forecast too.)
    /// </summary>
    [Fact]
    public void Holidays2020To2030_MatchThePublishedHolidayJpList()
    {
        var file = Path.Combine(PackageDirectory("@holiday-jp/holiday_jp"), "lib", "holidays.js");
        var published = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "\"(\\d{4}-\\d{2}-\\d{2})\": \\{")
            .Select(m => DateOnly.ParseExact(m.Groups[1].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .Where(d => d.Year is >= 2020 and <= 2030).Distinct().Order().ToList();
        Assert.True(published.Count > 150, $"Only {published.Count} holidays read from {file}.");
        var computed = Enumerable.Range(0, new DateOnly(2031, 1, 1).DayNumber - new DateOnly(2020, 1, 1).DayNumber)
            .Select(i => new DateOnly(2020, 1, 1).AddDays(i)).Where(JapanCalendar.IsHoliday).ToList();
        Assert.Equal(published, computed);
    }

    private static string PackageDirectory(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"{name} is missing: run 'npm ci' in tests/CareerRelay.Tests (the build does this when npm is installed).");
    }

    [Theory]
    [InlineData("2026-11-21T01:00:00Z", "2026-11-24T01:00:00Z")] // Saturday 10:00 JST → Tuesday (Monday is 勤労感謝の日)
    [InlineData("2026-11-24T00:59:00Z", "2026-11-24T01:00:00Z")] // Tuesday 09:59 JST → the same morning
    [InlineData("2026-11-24T01:00:01Z", "2026-11-25T01:00:00Z")] // Tuesday just after 10:00 → Wednesday
    [InlineData("2026-12-31T03:00:00Z", "2027-01-04T01:00:00Z")] // New Year's Eve → the first Monday after 元日 and the weekend
    [InlineData("2026-11-23T16:00:00Z", "2026-11-24T01:00:00Z")] // Tuesday 01:00 JST, still Monday in UTC → Tuesday 10:00 JST
    public void NextBusinessDayAt10_IsInJapanTime(string now, string expected) =>
        Assert.Equal(DateTime.Parse(expected).ToUniversalTime(),
            JapanCalendar.NextBusinessDayAt(DateTime.Parse(now).ToUniversalTime(), new TimeOnly(10, 0)));
}
