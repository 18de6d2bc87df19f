using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CareerRelay.Tests.Harness;

/// <summary>A real HTTP endpoint on loopback that records what it receives and answers a chosen status.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Id, string Timestamp, string Signature, string Body);

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public int Status { get; set; } = 200;
    public string Url { get; }

    public WebhookReceiver()
    {
        var port = LoopbackPorts.Next();
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch { return; }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Requests.Enqueue(new Received(context.Request.Headers["webhook-id"] ?? "", context.Request.Headers["webhook-timestamp"] ?? "",
                    context.Request.Headers["webhook-signature"] ?? "", body));
                context.Response.StatusCode = Status;
                context.Response.Close();
            }
        });
    }

    public async Task<Received> WaitForAsync(Func<Received, bool> match, Func<Task>? poke = null)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Requests.FirstOrDefault(match) is { } found) return found;
            if (poke is not null) await poke();
            await Task.Delay(50);
        }
        throw new TimeoutException("The webhook did not arrive.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException) { } // shutting down a test server never fails the test
        try { await _loop; } catch { }
    }
}
