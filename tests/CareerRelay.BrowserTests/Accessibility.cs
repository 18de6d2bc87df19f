using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// The automated accessibility check: axe-core (from the npm registry, see package.json) injected into the
/// page, run over the whole document; any serious or critical violation fails the test with its rule and
/// elements. Pages under a strict CSP allow no injected script, so the checking context bypasses CSP.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<string> AxeScript = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate)) return File.ReadAllText(candidate);
        }
        throw new FileNotFoundException("axe-core is missing: run 'npm ci' in tests/CareerRelay.BrowserTests (the build does this when npm is installed).");
    });

    public static Task<IBrowserContext> NewCheckingContextAsync(IBrowser browser, int width = 1280, int height = 900) =>
        browser.NewContextAsync(new BrowserNewContextOptions
        {
            BypassCSP = true, Locale = "ja-JP", ViewportSize = new ViewportSize { Width = width, Height = height },
        });

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = AxeScript.Value });
        var violations = await page.EvaluateAsync<string[]>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        Assert.True(violations.Length == 0, $"{what} has accessibility violations:\n{string.Join("\n", violations)}");
    }
}
