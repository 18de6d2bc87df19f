using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// How <c>POST /api/v1/public/registrations</c> parses its body: the source-generated metadata and the web defaults, with
/// the consent and the lists of strings read by converters of their own. System.Text.Json keeps a stack of frames for each
/// object or array nested in the body that its own converters read, and the first nesting allocated that stack (four
/// frames, ~0.5 KB a request — the largest single allocation of a registration in issue 23's allocation profile); a
/// converter that reads its whole value itself takes no frame. The rules are the web defaults' — names in any case,
/// numbers also as strings, unknown members skipped, the last of a repeated member kept, a wrong type a
/// <see cref="JsonException"/> with its path — and <c>RegistrationBodyTests</c> holds this parser against the framework's.
/// The framework's own options (and so the API's OpenAPI schema) are left as they are.
/// </summary>
public static class RegistrationBody
{
    public static JsonTypeInfo<RegistrationRequest> TypeInfo(JsonSerializerOptions framework)
    {
        var options = new JsonSerializerOptions(framework);
        options.Converters.Insert(0, new StringListConverter());
        options.Converters.Insert(0, new ConsentConverter());
        options.MakeReadOnly();
        return (JsonTypeInfo<RegistrationRequest>)options.GetTypeInfo(typeof(RegistrationRequest));
    }

    /// <summary>
    /// Where in a converter's value it is: a member of the consent by its name as sent (the raw bytes, made into a string
    /// only for an error — or at once when escaped), or the value itself.
    /// </summary>
    private readonly ref struct Member(ReadOnlySpan<byte> raw, string? text)
    {
        public ReadOnlySpan<byte> Raw { get; } = raw;
        public string? Text { get; } = text;

        public static Member Itself => default;

        public static Member Of(ref Utf8JsonReader reader) =>
            reader.ValueIsEscaped || reader.HasValueSequence ? new([], reader.GetString()) : new(reader.ValueSpan, null);

        public bool Is(ReadOnlySpan<byte> utf8, string name) => Text is null && Ascii.IsValid(Raw)
            ? Ascii.EqualsIgnoreCase(Raw, utf8) // names in any case: the web defaults' PropertyNameCaseInsensitive
            : string.Equals(Text ?? Encoding.UTF8.GetString(Raw), name, StringComparison.OrdinalIgnoreCase);

        public string Path(int index = -1)
        {
            var member = Text ?? (Raw.IsEmpty ? "" : Encoding.UTF8.GetString(Raw));
            return (member.Length > 0 ? "." + member : "") + (index >= 0 ? $"[{index}]" : "");
        }
    }

    /// <summary>The next token; the reader's own error (a body cut short, a stray comma) named where it is, as the framework names it.</summary>
    private static void Next(ref Utf8JsonReader reader, scoped Member at, int index = -1)
    {
        try { reader.Read(); }
        catch (JsonException ex) when (ex is not JsonErrorWithin) { throw new JsonErrorWithin(at.Path(index)); }
    }

    /// <summary>An array of strings (or nulls), as the built-in converter reads one into a list.</summary>
    private static List<string> ReadStrings(ref Utf8JsonReader reader, scoped Member at)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonErrorWithin(at.Path());
        var values = new List<string>();
        while (true)
        {
            Next(ref reader, at, values.Count);
            if (reader.TokenType == JsonTokenType.EndArray) return values;
            values.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => null!,
                _ => throw new JsonErrorWithin(at.Path(values.Count)),
            });
        }
    }

    /// <summary>Skills (the framework's path leads to them).</summary>
    private sealed class StringListConverter : JsonConverter<List<string>>
    {
        public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadStrings(ref reader, Member.Itself);

        public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
            throw new NotSupportedException("These options only parse a registration's body.");
    }

    private sealed class ConsentConverter : JsonConverter<ConsentInput>
    {
        public override ConsentInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonErrorWithin("");
            int? noticeVersion = null;
            List<string>? agencyIds = null;
            while (true)
            {
                Next(ref reader, Member.Itself);
                if (reader.TokenType == JsonTokenType.EndObject) return new ConsentInput(noticeVersion, agencyIds);
                var member = Member.Of(ref reader);
                Next(ref reader, member);
                if (member.Is("noticeVersion"u8, "noticeVersion"))
                    noticeVersion = reader.TokenType == JsonTokenType.Null ? null : ReadInt(ref reader, member);
                else if (member.Is("agencyIds"u8, "agencyIds"))
                    agencyIds = reader.TokenType == JsonTokenType.Null ? null : ReadStrings(ref reader, member);
                else
                {
                    try { reader.Skip(); } // an unknown member, as the web defaults ignore one
                    catch (JsonException ex) when (ex is not JsonErrorWithin) { throw new JsonErrorWithin(member.Path()); }
                }
            }
        }

        /// <summary>A whole number, or one in a string (the web defaults' <c>AllowReadingFromString</c>).</summary>
        private static int ReadInt(ref Utf8JsonReader reader, scoped Member at)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number)) return number;
            if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
                && System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out int parsed, out var used) && used == reader.ValueSpan.Length)
                return parsed;
            if (reader.TokenType == JsonTokenType.String && (reader.ValueIsEscaped || reader.HasValueSequence)
                && int.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed))
                return parsed;
            throw new JsonErrorWithin(at.Path());
        }

        public override void Write(Utf8JsonWriter writer, ConsentInput value, JsonSerializerOptions options) =>
            throw new NotSupportedException("These options only parse a registration's body.");
    }
}
