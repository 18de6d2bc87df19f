namespace CareerRelay.Tests.Harness;

/// <summary>Debian's python3 (where .ci/run installs python3-aiosmtpd), else whichever python3 is on the path.</summary>
public static class Python
{
    public static string Executable { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
