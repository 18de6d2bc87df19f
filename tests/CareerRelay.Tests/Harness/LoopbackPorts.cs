using System.Net;
using System.Net.Sockets;

namespace CareerRelay.Tests.Harness;

/// <summary>
/// A free port on 127.0.0.1 for a local test server, never one already handed out in this test run: .NET's HttpListener
/// shares one socket per port inside a process, so two test servers (a webhook receiver, the fake LINE server) given the
/// same port by the OS would serve each other's requests and fail each other's shutdown.
/// </summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                if (Given.Add(port)) return port;
            }
        }
    }
}
