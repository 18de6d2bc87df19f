using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Harness;

/// <summary>
/// A local HTTP server that speaks the part of LINE's Messaging API we call, with the request and answer shapes of LINE's
/// published reference (developers.line.biz/en/reference/messaging-api): <c>POST /v2/bot/message/push</c> and
/// <c>/reply</c> (Bearer token, <c>{"messages":[{"type":"text","text"}]}</c>, 1–5 messages, text ≤ 5,000 characters,
/// answer <c>{"sentMessages":[{"id","quoteToken"}]}</c>; a push's <c>X-Line-Retry-Key</c> is a UUID and a key already
/// accepted answers 409), <c>GET /v2/bot/profile/{userId}</c> (<c>{"displayName","userId","pictureUrl","statusMessage","language"}</c>,
/// 404 for an unknown user). Tests script failures (429 with Retry-After, 500, 400) for the next pushes.
/// LINE itself cannot be reached from here; the docs (docs/integrations.md) say so.
/// </summary>
public sealed class FakeLineServer : IAsyncDisposable
{
    public const string AccessToken = "test-channel-access-token";

    public sealed record Call(string Method, string Path, string? RetryKey, JsonNode? Body);

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, bool> _acceptedKeys = new();
    public ConcurrentQueue<Call> Calls { get; } = new();
    /// <summary>What the next pushes answer (status, Retry-After seconds); empty: 200.</summary>
    public ConcurrentQueue<(int Status, int? RetryAfter)> PushFailures { get; } = new();
    /// <summary>LINE users the profile endpoint knows, by user id → display name.</summary>
    public ConcurrentDictionary<string, string> Profiles { get; } = new();
    public string BaseUrl { get; }

    public FakeLineServer()
    {
        var port = LoopbackPorts.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch { return; }
                try { await AnswerAsync(context); } catch { context.Response.StatusCode = 500; context.Response.Close(); }
            }
        });
    }

    public IEnumerable<Call> Pushes => Calls.Where(c => c.Path == "/v2/bot/message/push");
    public IEnumerable<Call> Replies => Calls.Where(c => c.Path == "/v2/bot/message/reply");

    public static string TextOf(Call call) => call.Body!["messages"]![0]!["text"]!.GetValue<string>();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        JsonNode? body = null;
        try { body = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (JsonException) { }
        var retryKey = request.Headers["X-Line-Retry-Key"];
        Calls.Enqueue(new Call(request.HttpMethod, path, retryKey, body));

        if (request.Headers["Authorization"] != "Bearer " + AccessToken) { await WriteAsync(context, 401, new { message = "Authentication failed. Confirm that the access token in the authorization header is valid." }); return; }
        if (request.HttpMethod == "GET" && path.StartsWith("/v2/bot/profile/", StringComparison.Ordinal))
        {
            var userId = Uri.UnescapeDataString(path["/v2/bot/profile/".Length..]);
            if (Profiles.TryGetValue(userId, out var name))
                await WriteAsync(context, 200, new { displayName = name, userId, language = "ja", pictureUrl = "https://profile.line-scdn.net/abc", statusMessage = "" });
            else await WriteAsync(context, 404, new { message = "Not found" });
            return;
        }
        if (request.HttpMethod != "POST" || path is not ("/v2/bot/message/push" or "/v2/bot/message/reply")) { await WriteAsync(context, 404, new { message = "Not found" }); return; }
        if (MessagesProblem(body) is { } problem) { await WriteAsync(context, 400, new { message = "The request body has 1 error(s)", details = new[] { new { message = problem, property = "messages" } } }); return; }
        if (path.EndsWith("/reply", StringComparison.Ordinal))
        {
            if (body!["replyToken"]?.GetValue<string>() is not { Length: > 0 }) { await WriteAsync(context, 400, new { message = "Invalid reply token" }); return; }
            await WriteAsync(context, 200, Sent());
            return;
        }
        if (body!["to"]?.GetValue<string>() is not { Length: > 0 }) { await WriteAsync(context, 400, new { message = "The property, 'to', in the request body is invalid" }); return; }
        if (retryKey is not null && !Guid.TryParse(retryKey, out _)) { await WriteAsync(context, 400, new { message = "The value for the 'X-Line-Retry-Key' header is invalid" }); return; }
        if (PushFailures.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } seconds) context.Response.Headers["Retry-After"] = seconds.ToString();
            await WriteAsync(context, failure.Status, new { message = failure.Status == 429 ? "You have reached your monthly limit." : "Failed" });
            return;
        }
        if (retryKey is not null && !_acceptedKeys.TryAdd(retryKey, true))
        {
            context.Response.Headers["x-line-accepted-request-id"] = Guid.NewGuid().ToString();
            await WriteAsync(context, 409, new { message = "The retry key is already accepted", sentMessages = SentMessages() });
            return;
        }
        await WriteAsync(context, 200, Sent());
    }

    private static string? MessagesProblem(JsonNode? body)
    {
        if (body?["messages"] is not JsonArray messages || messages.Count is 0 or > 5) return "Size must be between 1 and 5";
        foreach (var m in messages)
        {
            if (m?["type"]?.GetValue<string>() != "text") return "Must be one of the following values: [text, …]";
            if (m["text"]?.GetValue<string>() is not { Length: > 0 and <= 5000 }) return "Length must be between 1 and 5000";
        }
        return null;
    }

    private static object[] SentMessages() => [new { id = Random.Shared.NextInt64().ToString(), quoteToken = "q" }];
    private static object Sent() => new { sentMessages = SentMessages() };

    private static async Task WriteAsync(HttpListenerContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
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
