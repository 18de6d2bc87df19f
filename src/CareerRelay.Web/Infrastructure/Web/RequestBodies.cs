using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace CareerRelay.Web.Infrastructure.Web;

public static class RequestBodies
{
    /// <summary>The whole raw body (for signatures computed over exact bytes, or files); null when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// A JSON body read whole (Kestrel's body size limit applies) and parsed in one synchronous pass, for the busiest route.
    /// The framework's binding reads it through a resumable parser instead: its stack of frames, a parsed media type, and
    /// a reflection-based struct comparison when it lets go of the pipe (about 0.7 KB and two microseconds per request in
    /// issue 23's profile). Its answers are kept: 415 for a body that is not JSON, 400 with the JSON error inside for one
    /// that does not parse, 400 when there is no body or it is <c>null</c> — each a <see cref="BadHttpRequestException"/>
    /// that <c>ProblemHandling</c> turns into problem+json. A charset other than UTF-8 goes the framework's way (it transcodes).
    /// </summary>
    public static async ValueTask<T> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true }) throw NotProvided<T>();
        if (!IsUtf8Json(request.ContentType))
        {
            if (!request.HasJsonContentType()) throw new BadHttpRequestException("The body is not JSON.", StatusCodes.Status415UnsupportedMediaType);
            return await FrameworkReadAsync(request, type, ct) ?? throw NotProvided<T>();
        }
        var reader = request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(ct);
                if (read.IsCompleted) break;
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing consumed: wait for the rest
            }
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw Unreadable(ex);
        }
        try
        {
            return Parse(read.Buffer, type) ?? throw NotProvided<T>();
        }
        catch (JsonException ex)
        {
            throw Invalid<T>(ex);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private static T? Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type)
    {
        if (body.IsSingleSegment) return JsonSerializer.Deserialize(WithoutBom(body.FirstSpan), type);
        var copy = ArrayPool<byte>.Shared.Rent(checked((int)body.Length));
        try
        {
            body.CopyTo(copy);
            return JsonSerializer.Deserialize(WithoutBom(copy.AsSpan(0, (int)body.Length)), type);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy, clearArray: true); // it may hold personal data
        }
    }

    /// <summary>A UTF-8 byte order mark, which the framework's stream reading skips and a span parse would refuse.</summary>
    private static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> json) => json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? json[3..] : json;

    private static async ValueTask<T?> FrameworkReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            return await request.ReadFromJsonAsync(type, ct);
        }
        catch (JsonException ex)
        {
            throw Invalid<T>(ex);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>"application/json", alone or with a UTF-8 charset: what every client of ours sends.</summary>
    private static bool IsUtf8Json(string? contentType) =>
        contentType is not null
        && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Equals("application/json; charset=utf-8", StringComparison.OrdinalIgnoreCase));

    private static BadHttpRequestException Invalid<T>(JsonException ex) =>
        new($"Failed to read the {typeof(T).Name} body as JSON.", StatusCodes.Status400BadRequest, WithFullPath(ex));

    /// <summary>The error with its whole path: the framework's to a converter's value, and the converter's within it.</summary>
    public static JsonException WithFullPath(JsonException ex) =>
        ex is JsonErrorWithin within ? new JsonException(ex.Message, ex.Path + within.Within, ex.LineNumber, ex.BytePositionInLine, ex) : ex;

    /// <summary>The client went away or broke the framing mid-body (a 413 or a framing error is already a BadHttpRequestException).</summary>
    private static BadHttpRequestException Unreadable(IOException ex) =>
        new("The body could not be read.", StatusCodes.Status400BadRequest, ex);

    private static BadHttpRequestException NotProvided<T>() =>
        new($"The {typeof(T).Name} body was not provided.", StatusCodes.Status400BadRequest);
}

/// <summary>
/// Thrown by a converter that reads a whole nested value itself: where inside that value the error is (<c>.member</c>,
/// <c>[index]</c>). The framework gives it the path to the value, as to any converter's error, and
/// <see cref="RequestBodies.WithFullPath"/> puts the two together, so the problem names the field as the framework's
/// own converters would.
/// </summary>
public sealed class JsonErrorWithin(string within) : JsonException
{
    public string Within => within;
}
