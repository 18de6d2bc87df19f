using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// Waiting for a page the browser navigates to, without Playwright .NET's own <c>WaitForURLAsync</c> /
/// <c>WaitForLoadStateAsync</c>: both look at the load states the client has heard of and only then listen for the next
/// one, so when "load" arrives between the look and the listening (a busy machine: CI with the unit suite beside it) the
/// wait never ends — the CI run of stop 26 hung 90 s on a /console that had long loaded, its log showing only the later
/// "networkidle"; stop 37's hung the same way on the one WaitForURLAsync left. These ask the page itself, in the browser,
/// which no event can slip past; BannedSymbols.txt keeps the two out of this project at build time.
/// </summary>
public static class Arrival
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Waits until the address matches <paramref name="url"/> and that document has loaded.</summary>
    public static async Task ArriveAtAsync(this IPage page, Regex url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.SettleAsync();
    }

    /// <summary>Waits until the current document has loaded (a submission may still be committing: the wait outlives it).</summary>
    public static Task SettleAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { Timeout = (float)Patience.TotalMilliseconds });
}
