using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CareerRelay.Tests.Harness.Smtp;

/// <summary>
/// A real SMTP server for the test run: Debian's python3-aiosmtpd with a small handler (careerrelay_sink.py) that
/// keeps messages in a Maildir, refuses "bounce…" and listed recipients with 550, greylists "tempfail…" ones with 451 once,
/// and notes the connection of each delivery. Fails loudly when aiosmtpd is missing.
/// </summary>
public sealed class AiosmtpdServer : IDisposable
{
    /// <summary>How the server speaks TLS: not at all, STARTTLS required before MAIL, or TLS from the first byte (SMTPS).</summary>
    public enum Tls { None, StartTlsRequired, Implicit }

    private readonly Process _process;

    public int Port { get; }
    public string Maildir { get; } = Path.Combine(Path.GetTempPath(), "careerrelay-smtp-" + Guid.NewGuid().ToString("N"));

    /// <param name="certificate">PEM certificate and key files for <paramref name="tls"/>.</param>
    public AiosmtpdServer(Tls tls = Tls.None, (string Cert, string Key)? certificate = null)
    {
        Port = LoopbackPorts.Next();
        string[] tlsArguments = tls switch
        {
            Tls.StartTlsRequired => ["--tlscert", certificate!.Value.Cert, "--tlskey", certificate.Value.Key],
            Tls.Implicit => ["--smtpscert", certificate!.Value.Cert, "--smtpskey", certificate.Value.Key],
            _ => [],
        };
        var start = new ProcessStartInfo(Python.Executable,
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", .. tlsArguments, "-c", "careerrelay_sink.Sink", Maildir])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            Environment = { ["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "Harness", "Smtp") },
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("aiosmtpd exited (install Debian's python3-aiosmtpd): " + _process.StandardError.ReadToEnd());
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until) { Thread.Sleep(100); }
        }
    }

    /// <summary>The raw messages received so far (RFC 5322, as the server stored them).</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.Exists(Path.Combine(Maildir, "new"))
            ? Directory.GetFiles(Path.Combine(Maildir, "new")).Select(File.ReadAllText).ToList()
            : [];

    /// <summary>From now on the server refuses this recipient with 550 (a mailbox that stopped working), or takes it again.</summary>
    public void Refuse(string address, bool refuse = true)
    {
        var path = Maildir + ".refuse";
        var listed = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        listed.RemoveAll(a => a.Equals(address, StringComparison.OrdinalIgnoreCase));
        if (refuse) listed.Add(address);
        File.WriteAllLines(path, listed);
    }

    /// <summary>The connection each delivered message came over, in order (one id per SMTP session).</summary>
    public IReadOnlyList<string> Sessions() => File.Exists(Maildir + ".sessions") ? File.ReadAllLines(Maildir + ".sessions") : [];

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Maildir, recursive: true); } catch (IOException) { }
        foreach (var extra in new[] { Maildir + ".refuse", Maildir + ".sessions" }) File.Delete(extra);
    }
}
