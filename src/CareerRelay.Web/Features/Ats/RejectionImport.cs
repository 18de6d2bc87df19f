using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.Extensions.Options;

using CareerRelay.Web.Features.Links;

namespace CareerRelay.Web.Features.Ats;

/// <summary>
/// <c>Imports:HeaderAliases:{field}</c>: extra column names for a field, added to the built-in Japanese and English ones
/// (e.g. <c>Imports:HeaderAliases:email:0=連絡先メール</c>). Fields: applicationId, name, email, jobTitle, result, rejectedOn, source, lang, stage.
/// </summary>
public sealed class ImportOptions
{
    public Dictionary<string, List<string>> HeaderAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)] public int MaxRows { get; set; } = 10_000;
}

/// <summary>One row of an import as we understood it; <see cref="Event"/> is null when the row is skipped or broken.</summary>
/// <summary>A note on a row or file, as a text key (ImportMessage.*) and its arguments: shown in the reader's language.</summary>
public sealed record ImportMessage(string Key, params object?[] Args)
{
    public string In(string lang) => Texts.Format("ImportMessage." + Key, lang, Args);
}

public sealed record ImportRow(int Line, string? ApplicationId, string? JobTitle, string Status, IReadOnlyList<ImportMessage> Notes, RejectionEvent? Event);

public sealed record ImportParse(string Encoding, IReadOnlyDictionary<string, string> Columns, IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportMessage> FileErrors);

/// <summary>
/// Reads a rejected-applicants export from a Japanese ATS: UTF-8 (with or without BOM) or Shift_JIS (CP932),
/// RFC 4180 quoting, Japanese or English headers matched through aliases. Each row becomes a rejection event
/// whose id derives from the application (or, without one, from a keyed hash of address and job), so importing
/// the same file twice changes nothing.
/// </summary>
public sealed class RejectionImport(IOptions<ImportOptions> options, KeyRing keys)
{
    private static readonly Dictionary<string, string[]> BuiltInAliases = new()
    {
        ["applicationId"] = ["応募ID", "応募者ID", "選考ID", "エントリーID", "application_id", "applicationid", "application id"],
        ["name"] = ["氏名", "名前", "応募者名", "候補者名", "お名前", "name", "full_name", "full name", "candidate name"],
        ["email"] = ["メールアドレス", "メール", "Eメール", "E-mail", "Eメールアドレス", "連絡先メールアドレス", "email", "e-mail", "mail", "email address"],
        ["jobTitle"] = ["応募職種", "職種", "求人名", "応募求人", "募集職種", "ポジション", "job", "job_title", "job title", "position"],
        ["result"] = ["選考結果", "結果", "選考ステータス", "ステータス", "result", "status", "outcome"],
        ["rejectedOn"] = ["不合格日", "不採用日", "お見送り日", "選考終了日", "結果通知日", "rejected_at", "rejected on", "rejection date", "date"],
        ["source"] = ["応募経路", "経路", "流入経路", "応募媒体", "source"],
        ["lang"] = ["言語", "連絡言語", "language", "lang"],
        ["stage"] = ["選考ステップ", "選考段階", "到達ステップ", "選考フェーズ", "stage", "selection stage", "stage reached"],
    };
    private static readonly string[] RejectedWords = ["不合格", "不採用", "お見送り", "見送り", "選考落ち", "rejected", "reject", "declined by company", "not selected"];
    private static readonly string[] WithdrawnWords = ["辞退", "内定辞退", "選考辞退", "withdrawn", "withdrew", "candidate withdrew", "offer declined"];
    private static readonly string[] AgencyWords = ["エージェント", "人材紹介", "紹介会社", "agency", "agent", "recruiter"];

    static RejectionImport() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [TextKeys("ImportField.{0}")]
    public static readonly string[] Fields = [.. BuiltInAliases.Keys];

    /// <summary>Decodes and reads the file; never throws on bad input (file-level problems come back as <see cref="ImportParse.FileErrors"/>).</summary>
    public ImportParse Parse(byte[] file, string? encodingName, string defaultLang, DateTime now)
    {
        var (text, encoding, encodingError) = Decode(file, encodingName);
        if (encodingError is not null) return new ImportParse(encoding, new Dictionary<string, string>(), [], [encodingError]);
        var records = ReadRecords(text);
        if (records.Count == 0) return new ImportParse(encoding, new Dictionary<string, string>(), [], [new ImportMessage("Empty")]);

        var header = records[0].Fields;
        var columns = MapColumns(header);
        var fileErrors = new List<ImportMessage>();
        if (!columns.ContainsKey("email") && !columns.ContainsKey("applicationId"))
            fileErrors.Add(new ImportMessage("NoColumns", string.Join(", ", header)));
        if (records.Count - 1 > options.Value.MaxRows) fileErrors.Add(new ImportMessage("TooManyRows", options.Value.MaxRows, records.Count - 1));
        if (fileErrors.Count > 0) return new ImportParse(encoding, columns.ToDictionary(c => c.Key, c => header[c.Value]), [], fileErrors);

        var rows = new List<ImportRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            var row = ReadRow(record, columns, header.Count, defaultLang, now);
            if (row.ApplicationId is not null && row.Status != ImportRowStatus.Error && !seen.Add(row.ApplicationId))
                row = row with { Status = ImportRowStatus.Error, Notes = [new ImportMessage("Duplicate")], Event = null };
            rows.Add(row);
        }
        return new ImportParse(encoding, columns.ToDictionary(c => c.Key, c => header[c.Value]), rows, []);
    }

    private ImportRow ReadRow((int Line, List<string> Fields) record, Dictionary<string, int> columns, int width, string defaultLang, DateTime now)
    {
        string? Get(string field) => columns.TryGetValue(field, out var i) && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } v ? v : null;
        var errors = new List<ImportMessage>();
        if (record.Fields.Count != width) errors.Add(new ImportMessage("Columns", record.Fields.Count, width));

        var email = Get("email");
        if (email is not null)
        {
            email = PersonIdentity.NormaliseEmail(email);
            if (email.Length > 254 || !PersonIdentity.IsPlausibleEmail(email)) { errors.Add(new ImportMessage("Email")); email = null; }
        }
        var name = Get("name");
        if (name is { Length: > 200 } || (name is not null && name.Any(char.IsControl))) errors.Add(new ImportMessage("Name"));
        var job = Get("jobTitle");
        if (job is { Length: > 200 }) errors.Add(new ImportMessage("JobTitle"));
        var applicationId = Get("applicationId");
        if (applicationId is { Length: > 200 } || (applicationId is not null && applicationId.Any(char.IsControl))) errors.Add(new ImportMessage("ApplicationId"));
        if (applicationId is null && email is null && errors.Count == 0) errors.Add(new ImportMessage("NeedEmailOrId"));

        DateTime occurred = now;
        if (Get("rejectedOn") is { } date)
        {
            if (ParseJstDate(date) is { } parsed) occurred = parsed;
            else errors.Add(new ImportMessage("Date", Short(date)));
        }
        // How far the application got: one of the fixed words, or the row is refused (never stored as free text).
        string? stage = null;
        if (Get("stage") is { } stageText && (stage = SelectionStages.FromWords(stageText)) is null) errors.Add(new ImportMessage("Stage", Short(stageText)));
        var lang = (Get("lang") ?? defaultLang).ToLowerInvariant() switch { "en" or "english" or "英語" => "en", "ja" or "japanese" or "日本語" => "ja", _ => defaultLang };

        var type = AtsEventTypes.Rejected;
        if (Get("result") is { } result)
        {
            var r = result.Trim().ToLowerInvariant();
            if (WithdrawnWords.Any(w => r.Contains(w, StringComparison.OrdinalIgnoreCase))) type = AtsEventTypes.Withdrawn;
            else if (!RejectedWords.Any(w => r.Contains(w, StringComparison.OrdinalIgnoreCase)))
                return new ImportRow(record.Line, applicationId, job, errors.Count > 0 ? ImportRowStatus.Error : ImportRowStatus.Skipped,
                    errors.Count > 0 ? errors : [new ImportMessage("NotRejection", Short(result))], null);
        }
        var source = Get("source") is { } s && AgencyWords.Any(w => s.Contains(w, StringComparison.OrdinalIgnoreCase)) ? "agency" : "direct";
        if (errors.Count > 0) return new ImportRow(record.Line, applicationId, job, ImportRowStatus.Error, errors, null);

        applicationId ??= "csv-" + KeyedId($"{email}|{job}");
        var e = new RejectionEvent($"import:{applicationId}:{type}", type, applicationId, type == AtsEventTypes.Withdrawn ? "candidate_withdrew" : "company_rejected",
            source, job, occurred, null, lang, name, email, MailChannels.Import, stage);
        var status = type == AtsEventTypes.Withdrawn || source == "agency" ? ImportRowStatus.NoInvitation : ImportRowStatus.Invite;
        var note = status == ImportRowStatus.NoInvitation
            ? [new ImportMessage(type == AtsEventTypes.Withdrawn ? "Withdrawn" : "Agency")]
            : email is null ? new List<ImportMessage> { new("NoEmail") } : [];
        return new ImportRow(record.Line, applicationId, job, status, note, e);
    }

    private Dictionary<string, int> MapColumns(List<string> header)
    {
        var map = new Dictionary<string, int>();
        for (var i = 0; i < header.Count; i++)
        {
            var h = Normalise(header[i]);
            foreach (var (field, aliases) in BuiltInAliases)
            {
                var extra = options.Value.HeaderAliases.TryGetValue(field, out var configured) ? configured : [];
                if (!map.ContainsKey(field) && aliases.Concat(extra).Any(a => Normalise(a) == h)) map[field] = i;
            }
        }
        return map;
    }

    private static string Normalise(string header) =>
        header.Normalize(NormalizationForm.FormKC).Trim().Trim('"').Replace(" ", "").Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static (string Text, string Encoding, ImportMessage? Error) Decode(byte[] file, string? encodingName)
    {
        var requested = encodingName?.Trim().ToLowerInvariant();
        if (requested is "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j")
            return (Encoding.GetEncoding(932).GetString(file), "shift_jis", null);
        if (file.AsSpan().StartsWith(Encoding.UTF8.Preamble)) return (Encoding.UTF8.GetString(file, 3, file.Length - 3), "utf-8", null);
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file), "utf-8", null);
        }
        catch (DecoderFallbackException) when (requested is null or "" or "auto")
        {
            // Not UTF-8: Japanese Excel and most Japanese ATS exports write Shift_JIS (Microsoft's CP932).
            return (Encoding.GetEncoding(932).GetString(file), "shift_jis", null);
        }
        catch (DecoderFallbackException)
        {
            return ("", "utf-8", new ImportMessage("NotUtf8"));
        }
    }

    /// <summary>RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF ends a record.</summary>
    public static List<(int Line, List<string> Fields)> ReadRecords(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        int line = 1, recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted: quoted = true; fieldStarted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); fieldStarted = false; break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false;
                    records.Add((recordLine, fields)); fields = [];
                    recordLine = ++line;
                    break;
                default: field.Append(c); fieldStarted = true; break;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted) { fields.Add(field.ToString()); records.Add((recordLine, fields)); }
        return records;
    }

    private static readonly string[] DateFormats =
        ["yyyy/M/d", "yyyy-M-d", "yyyy.M.d", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss", "yyyy-M-d H:mm", "yyyy-M-d H:mm:ss", "yyyy-M-dTH:mm:ss", "yyyy年M月d日"];

    /// <summary>A date as a Japanese HR export writes it, read as that day in Japan time.</summary>
    private static DateTime? ParseJstDate(string text)
    {
        if (DateTime.TryParseExact(text.Normalize(NormalizationForm.FormKC).Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return DateTime.SpecifyKind(local - Infrastructure.Localization.JapanCalendar.Offset, DateTimeKind.Utc);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && text.Contains('T') ? t.UtcDateTime : null;
    }

    private string KeyedId(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.SystemDataKey, Encoding.UTF8.GetBytes("import-row:" + value)))[..24];

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
