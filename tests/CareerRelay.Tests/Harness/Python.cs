namespace CareerRelay.Tests.Harness;

/// <summary>Debian's python3 (where .ci/run installs python3-aiosmtpd), else whichever python3 is on the path.</summary>
public static class Python
{
    public static string Executable { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs <paramref name="script"/> on <paramref name="path"/> and reads the JSON it prints; fails the test with Python's error.</summary>
    public static async Task<System.Text.Json.JsonElement> ReadJsonAsync(string script, string path, string what)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Executable, ["-c", script, path])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3 could not read {what}: {error}");
        return System.Text.Json.JsonDocument.Parse(output).RootElement.Clone();
    }
}
