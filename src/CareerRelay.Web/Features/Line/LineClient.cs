using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Line;

/// <summary>How a call to LINE ended: delivered, to be tried again (after LINE's Retry-After when it gave one), or refused for good.</summary>
public sealed record LineOutcome(bool Delivered, bool Retry, TimeSpan? RetryAfter, string? Error)
{
    public static readonly LineOutcome Ok = new(true, false, null, null);
}

/// <summary>
/// The three Messaging API endpoints we call (push, reply, profile), with LINE's published request and answer shapes:
/// <c>POST /v2/bot/message/push</c> <c>{"to","messages":[{"type":"text","text"}]}</c> with <c>X-Line-Retry-Key</c>;
/// <c>POST /v2/bot/message/reply</c> <c>{"replyToken","messages"}</c>; <c>GET /v2/bot/profile/{userId}</c> → <c>{"displayName",…}</c>.
/// </summary>
public sealed class LineClient(HttpClient http, IOptions<LineOptions> options, TimeProvider clock)
{
    /// <summary>LINE's limit on one text message.</summary>
    public const int MaxText = 5000;

    public Task<LineOutcome> PushAsync(string userId, string text, string retryKey, CancellationToken ct) =>
        SendAsync("/v2/bot/message/push", new { to = userId, messages = new[] { new { type = "text", text = Trim(text) } } }, retryKey, ct);

    public Task<LineOutcome> ReplyAsync(string replyToken, string text, CancellationToken ct) =>
        SendAsync("/v2/bot/message/reply", new { replyToken, messages = new[] { new { type = "text", text = Trim(text) } } }, null, ct);

    /// <summary>The display name LINE shows for the user, or null when LINE does not say.</summary>
    public async Task<string?> DisplayNameAsync(string userId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"/v2/bot/profile/{Uri.EscapeDataString(userId)}");
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return null;
            var profile = await response.Content.ReadFromJsonAsync<Profile>(ct);
            return profile?.DisplayName is { Length: > 0 and <= 100 } name ? name : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException) { return null; }
    }

    private sealed record Profile(string? DisplayName);

    private async Task<LineOutcome> SendAsync(string path, object body, string? retryKey, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body);
        if (retryKey is not null) request.Headers.Add("X-Line-Retry-Key", retryKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return LineOutcome.Ok;
            // 409 with a retry key: LINE already accepted this very push on an earlier try.
            if (response.StatusCode == HttpStatusCode.Conflict && retryKey is not null) return LineOutcome.Ok;
            var retryAfter = response.Headers.RetryAfter is { } after
                ? after.Delta ?? (after.Date is { } date ? date - clock.GetUtcNow() : null) : null;
            return status == 429 || status >= 500
                ? new LineOutcome(false, true, retryAfter, $"HTTP {status}")
                : new LineOutcome(false, false, null, $"HTTP {status}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new LineOutcome(false, true, null, ex.GetType().Name);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, options.Value.ApiBaseUrl.TrimEnd('/') + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ChannelAccessToken);
        return request;
    }

    private static string Trim(string text) => text.Length <= MaxText ? text : text[..MaxText];
}
