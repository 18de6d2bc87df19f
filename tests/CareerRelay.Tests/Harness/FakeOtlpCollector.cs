using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CareerRelay.Tests.Harness;

/// <summary>
/// A local OTLP/HTTP receiver (opentelemetry.io/docs/specs/otlp: <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>,
/// body <c>application/x-protobuf</c>, answer 200). It keeps each export's bytes: protobuf writes strings as raw UTF-8, so a
/// test can find a span's name — or prove that an address or a name never left the process.
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    public ConcurrentQueue<(string Path, string ContentType, byte[] Body)> Exports { get; } = new();
    public string BaseUrl { get; }

    public FakeOtlpCollector()
    {
        BaseUrl = $"http://127.0.0.1:{LoopbackPorts.Next()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch { return; }
                try
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    Exports.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                    context.Response.Close();
                }
                catch { context.Response.Abort(); }
            }
        });
    }

    /// <summary>Everything exported to one signal's path, as text (strings readable, the rest noise).</summary>
    public string Text(string path) => string.Join("\n", Exports.Where(e => e.Path == path).Select(e => Encoding.UTF8.GetString(e.Body)));

    public async ValueTask DisposeAsync()
    {
        try { _listener.Stop(); _listener.Close(); } catch { }
        try { await _loop.WaitAsync(TimeSpan.FromSeconds(5)); } catch { }
    }
}
