// The lean reference of issue 23 (bench/floor/README.md): what a registration must do and nothing else, so that
// bench/load.sh can measure the product as a ratio of it in the same run. Two modes:
//   dotnet CareerRelay.Floor.dll empty                      an empty ASP.NET Core app answering /healthz/live (P0)
//   dotnet CareerRelay.Floor.dll registration <data> <token> <agencyId> [postgres-connection-string]
// Keep it honest: it does every step a registration's guarantee needs (a 202 is durable with its mail queued), the
// cheapest way we know. If it gets faster, the target follows it.
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using CareerRelay.Floor;

var mode = args.FirstOrDefault() ?? "empty";
var builder = WebApplication.CreateBuilder(); // ASPNETCORE_URLS and Logging__… from the environment, as the app
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
// As the product's appsettings.json: no request log, so no per-request log scope and Activity made only for it. The empty
// app keeps ASP.NET Core's defaults (P0 measures what the product adds to them).
if (mode == "registration") builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FloorJson.Default));
var app = builder.Build();
app.MapGet("/healthz/live", () => TypedResults.Text("ok"));
if (mode == "registration")
{
    var positional = args[1..];
    var (data, token, agencyId) = (positional[0], positional[1], positional[2]);
    var writer = positional.Length > 3 ? (FloorWriter)new PostgresWriter(positional[3]) : new SqliteWriter(data);
    var mail = new PickupFolder(Path.Combine(data, "mail"), writer);
    writer.Start(mail);
    var crypto = new Crypto();
    app.MapPost("/api/v1/public/registrations", async (RegistrationBody body, HttpContext http) =>
    {
        if (body.Token != token) return Results.Problem(statusCode: 404, type: "link_not_found");
        var name = body.Name?.Trim();
        var email = body.Email?.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        if (name is not { Length: > 0 and <= 100 } || email is not { Length: > 2 and <= 254 } || email.IndexOf('@') is var at && (at < 1 || at == email.Length - 1)
            || body.Prefecture is { Length: > 2 } || body.Skills is { Count: > 50 } || body.Consent?.AgencyIds is not [var chosen] || chosen != agencyId
            || body.Consent.NoticeVersion != 1)
            return Results.Problem(statusCode: 422, type: "validation");

        var candidateId = Guid.CreateVersion7().ToString("N");
        var registrationId = Guid.CreateVersion7().ToString("N");
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        var personKey = RandomNumberGenerator.GetBytes(32);
        var mailText = $"{name} 様\n\nご登録ありがとうございます。次のリンクからメールアドレスを確認してください（7日間有効）。\nhttp://127.0.0.1/verify/{code}\n";
        var draft = new Draft(
            candidateId, registrationId, agencyId,
            EmailHash: crypto.Hash(email), IpHash: crypto.Hash(http.Connection.RemoteIpAddress?.ToString() ?? "unknown")[..32],
            CodeHash: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code))),
            WrappedKey: crypto.Seal(crypto.MasterKey, personKey),
            Profile: crypto.Seal(personKey, Encoding.UTF8.GetBytes($"{name}\n{email}\n{body.Prefecture}\n{string.Join(',', body.Skills ?? [])}")),
            Mail: crypto.Seal(personKey, Encoding.UTF8.GetBytes(email + "\n" + mailText)),
            To: email, MailText: mailText);
        await writer.WriteAsync(draft);
        return Results.Json(new Accepted(registrationId, "pending_verification"), FloorJson.Default.Accepted, statusCode: 202);
    });
}
app.Run();

namespace CareerRelay.Floor
{
    public sealed record Consent(int? NoticeVersion, List<string>? AgencyIds);
    public sealed record RegistrationBody(string? Token, string? Name, string? Email, string? NameKana, string? Phone, string? Prefecture,
        string? DesiredOccupation, List<string?>? Skills, Consent? Consent, string? Source = null);
    public sealed record Accepted(string RegistrationId, string Status);

    [JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(RegistrationBody))]
    [JsonSerializable(typeof(Accepted))]
    public sealed partial class FloorJson : JsonSerializerContext;

    public sealed record Draft(string CandidateId, string RegistrationId, string AgencyId, string EmailHash, string IpHash, string CodeHash,
        byte[] WrappedKey, byte[] Profile, byte[] Mail, string To, string MailText)
    {
        public string MailId { get; } = Guid.CreateVersion7().ToString("N");
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>HMAC-SHA256 lookup hashes and AES-GCM seals (nonce ‖ tag ‖ ciphertext), keys made at start.</summary>
    public sealed class Crypto
    {
        private readonly byte[] _lookupKey = RandomNumberGenerator.GetBytes(32);
        public byte[] MasterKey { get; } = RandomNumberGenerator.GetBytes(32);

        public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(value)));

        public byte[] Seal(byte[] key, byte[] plain)
        {
            var sealedBytes = new byte[12 + 16 + plain.Length];
            RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
            return sealedBytes;
        }
    }

    /// <summary>Writers batch drafts into one transaction and answer each after the commit; sent mail is marked in the next one.</summary>
    public abstract class FloorWriter
    {
        protected const int MaxBatch = 128;
        private readonly Channel<Draft> _queue = Channel.CreateBounded<Draft>(10_000);
        private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
        private PickupFolder? _mail;

        public async Task WriteAsync(Draft draft)
        {
            await _queue.Writer.WriteAsync(draft);
            await draft.Done.Task;
        }

        public void MarkSent(IEnumerable<string> ids) { foreach (var id in ids) _sent.Writer.TryWrite(id); }

        public abstract void Start(PickupFolder mail);

        protected void Attach(PickupFolder mail) => _mail = mail;

        /// <summary>One writer's loop: take what is queued (up to a batch), commit it, answer, hand the mail over.</summary>
        protected async Task DrainAsync(Func<List<Draft>, List<string>, Task> commit)
        {
            var batch = new List<Draft>(MaxBatch);
            var sent = new List<string>();
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                sent.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var d)) batch.Add(d);
                while (sent.Count < 1000 && _sent.Reader.TryRead(out var id)) sent.Add(id);
                if (batch.Count == 0) continue;
                try
                {
                    await commit(batch, sent);
                    foreach (var d in batch) d.Done.TrySetResult();
                    _mail!.HandOver(batch);
                }
                catch (Exception ex)
                {
                    foreach (var d in batch) d.Done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>One writer thread; five prepared INSERTs per registration in one WAL transaction at synchronous=NORMAL; checkpoints beside it.</summary>
    public sealed class SqliteWriter : FloorWriter
    {
        private readonly string _connectionString;

        public SqliteWriter(string data)
        {
            Directory.CreateDirectory(data);
            _connectionString = $"Data Source={Path.Combine(data, "floor.db")};Pooling=false";
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;" + Schema.Sqlite;
            command.ExecuteNonQuery();
        }

        private Microsoft.Data.Sqlite.SqliteConnection Open()
        {
            var connection = new Microsoft.Data.Sqlite.SqliteConnection(_connectionString);
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0;";
            pragmas.ExecuteNonQuery();
            return connection;
        }

        public override void Start(PickupFolder mail)
        {
            Attach(mail);
            new Thread(() =>
            {
                using var connection = Open();
                var statements = Schema.Inserts.Select(sql => Prepare(connection, sql)).ToArray();
                var markSent = Prepare(connection, Schema.MarkSent);
                DrainAsync((batch, sent) =>
                {
                    var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
                    using var turn = _writeGate.EnterScope(); // the checkpointer's RESTART waits its turn here, as in the product
                    using var tx = connection.BeginTransaction();
                    foreach (var s in statements.Append(markSent)) s.Transaction = tx;
                    foreach (var d in batch)
                    {
                        var rows = Schema.Rows(d, now);
                        for (var t = 0; t < statements.Length; t++)
                        {
                            for (var i = 0; i < rows[t].Length; i++) statements[t].Parameters[i].Value = rows[t][i] ?? DBNull.Value;
                            statements[t].ExecuteNonQuery();
                        }
                    }
                    foreach (var id in sent)
                    {
                        markSent.Parameters[0].Value = now;
                        markSent.Parameters[1].Value = id;
                        markSent.ExecuteNonQuery();
                    }
                    tx.Commit();
                    return Task.CompletedTask;
                }).GetAwaiter().GetResult();
            }) { IsBackground = true, Name = "floor writer" }.Start();
            // As the product's SqliteCheckpointer: PASSIVE five times a second, RESTART once the log is over 64 MB, so a
            // steady load reuses the log's blocks instead of growing it without end.
            new Thread(() =>
            {
                using var connection = Open();
                using var checkpoint = connection.CreateCommand();
                while (true)
                {
                    Thread.Sleep(200);
                    if (Checkpoint(checkpoint, "PASSIVE") * (4096 + 24) <= 64L * 1024 * 1024) continue;
                    using (_writeGate.EnterScope()) Checkpoint(checkpoint, "RESTART");
                }
            }) { IsBackground = true, Name = "floor checkpointer" }.Start();
        }

        private readonly System.Threading.Lock _writeGate = new();

        private static long Checkpoint(Microsoft.Data.Sqlite.SqliteCommand command, string mode)
        {
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            return reader.Read() ? reader.GetInt64(1) : 0; // busy, log frames, checkpointed
        }

        private static Microsoft.Data.Sqlite.SqliteCommand Prepare(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < sql.Count(c => c == '@'); i++) command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter($"@p{i}", null));
            command.Prepare();
            return command;
        }
    }

    /// <summary>
    /// On PostgreSQL: four writers side by side, each batch one NpgsqlBatch of the same five INSERTs per registration,
    /// prepared on the writer's connection as the product's writers prepare theirs (its <c>Database:PostgresPrepare</c>,
    /// on by default; <c>FLOOR_PREPARE=0</c> turns it off here too) — so the server parses and plans them once.
    /// </summary>
    public sealed class PostgresWriter(string connectionString) : FloorWriter
    {
        private static readonly bool Prepare = Environment.GetEnvironmentVariable("FLOOR_PREPARE") != "0";

        public override void Start(PickupFolder mail)
        {
            Attach(mail);
            using (var connection = new Npgsql.NpgsqlConnection(connectionString))
            {
                connection.Open();
                using var command = new Npgsql.NpgsqlCommand(Schema.Postgres, connection);
                command.ExecuteNonQuery();
            }
            for (var w = 0; w < 4; w++)
                _ = Task.Run(async () =>
                {
                    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                    await connection.OpenAsync();
                    await DrainAsync(async (batch, sent) =>
                    {
                        var now = DateTime.UtcNow;
                        await using var tx = await connection.BeginTransactionAsync();
                        await using var npgBatch = new Npgsql.NpgsqlBatch(connection, tx);
                        foreach (var d in batch)
                        {
                            var rows = Schema.Rows(d, now);
                            for (var t = 0; t < Schema.Inserts.Length; t++)
                            {
                                var command = new Npgsql.NpgsqlBatchCommand(Schema.PostgresInserts[t]);
                                foreach (var value in rows[t]) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value ?? DBNull.Value });
                                npgBatch.BatchCommands.Add(command);
                            }
                        }
                        if (sent.Count > 0)
                        {
                            var mark = new Npgsql.NpgsqlBatchCommand("UPDATE outbox_mails SET status = 'sent', sent_at = $1 WHERE id = ANY($2)");
                            mark.Parameters.Add(new Npgsql.NpgsqlParameter { Value = now });
                            mark.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sent.ToArray() });
                            npgBatch.BatchCommands.Add(mark);
                        }
                        if (Prepare) await npgBatch.PrepareAsync();
                        await npgBatch.ExecuteNonQueryAsync();
                        await tx.CommitAsync();
                    });
                });
        }
    }

    /// <summary>
    /// After the commit: one .eml per registration in the pickup folder — written beside it and moved in, so a reader never
    /// sees half a file — then the ids go back to be marked sent.
    /// </summary>
    public sealed class PickupFolder
    {
        private readonly Channel<Draft> _queue = Channel.CreateUnbounded<Draft>(new UnboundedChannelOptions { SingleReader = true });

        public PickupFolder(string folder, FloorWriter writer)
        {
            var staging = Directory.CreateDirectory(Path.Combine(folder, ".staging")).FullName;
            _ = Task.Run(async () =>
            {
                var sent = new List<string>(200);
                while (await _queue.Reader.WaitToReadAsync())
                {
                    sent.Clear();
                    while (sent.Count < 200 && _queue.Reader.TryRead(out var d))
                    {
                        var eml = $"From: relay@careerrelay.example\r\nTo: {d.To}\r\nSubject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes("メールアドレスの確認"))}?=\r\n" +
                                  $"Date: {DateTime.UtcNow:R}\r\nMessage-ID: <{d.MailId}@careerrelay.example>\r\nMIME-Version: 1.0\r\n" +
                                  $"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                                  Convert.ToBase64String(Encoding.UTF8.GetBytes(d.MailText), Base64FormattingOptions.InsertLineBreaks) + "\r\n";
                        var staged = Path.Combine(staging, d.MailId + ".eml");
                        // A new file, never one truncated (on ext4 a file truncated to empty is flushed when closed).
                        using (var file = File.OpenHandle(staged, FileMode.CreateNew, FileAccess.Write))
                            RandomAccess.Write(file, Encoding.UTF8.GetBytes(eml), 0);
                        File.Move(staged, Path.Combine(folder, d.MailId + ".eml"));
                        sent.Add(d.MailId);
                    }
                    writer.MarkSent(sent);
                }
            });
        }

        public void HandOver(IEnumerable<Draft> drafts) { foreach (var d in drafts) _queue.Writer.TryWrite(d); }
    }

    /// <summary>The product's five tables with their columns and indexes (as its migrations make them), and one row of each per registration.</summary>
    public static class Schema
    {
        public const string Sqlite = """
            CREATE TABLE IF NOT EXISTS candidate_keys (candidate_id TEXT NOT NULL PRIMARY KEY, wrapped_key BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS candidates (id TEXT NOT NULL PRIMARY KEY, email_hash TEXT NOT NULL, phone_hash TEXT NULL, profile BLOB NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL, recommendation_mails INTEGER NOT NULL DEFAULT 0, last_job_alert_at TEXT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ix_candidates_email_hash ON candidates (email_hash);
            CREATE INDEX IF NOT EXISTS ix_candidates_updated_at ON candidates (updated_at);
            CREATE TABLE IF NOT EXISTS registrations (id TEXT NOT NULL PRIMARY KEY, company_id TEXT NOT NULL, link_id TEXT NOT NULL, invitation_id TEXT NULL,
                candidate_id TEXT NOT NULL, email_hash TEXT NOT NULL, phone_hash TEXT NULL, status TEXT NOT NULL, code_hash TEXT NOT NULL,
                code_expires_at TEXT NOT NULL, ip_hash TEXT NOT NULL, submitted_profile BLOB NOT NULL, lang TEXT NOT NULL, created_at TEXT NOT NULL,
                verified_at TEXT NULL, qualified_at TEXT NULL, reversed_at TEXT NULL, hold_reason TEXT NULL, reverse_reason TEXT NULL,
                source TEXT NOT NULL DEFAULT 'other', confirm_reminded_at TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_registrations_candidate_id ON registrations (candidate_id);
            CREATE UNIQUE INDEX IF NOT EXISTS ix_registrations_code_hash ON registrations (code_hash);
            CREATE INDEX IF NOT EXISTS ix_registrations_company_id_id ON registrations (company_id, id);
            CREATE INDEX IF NOT EXISTS ix_registrations_company_id_link_id_status ON registrations (company_id, link_id, status);
            CREATE INDEX IF NOT EXISTS ix_registrations_email_hash_created_at ON registrations (email_hash, created_at);
            CREATE INDEX IF NOT EXISTS ix_registrations_ip_hash_created_at ON registrations (ip_hash, created_at);
            CREATE INDEX IF NOT EXISTS ix_registrations_link_id_qualified_at ON registrations (link_id, qualified_at);
            CREATE INDEX IF NOT EXISTS ix_registrations_status_id ON registrations (status, id);
            CREATE TABLE IF NOT EXISTS consents (id TEXT NOT NULL PRIMARY KEY, candidate_id TEXT NOT NULL, registration_id TEXT NOT NULL, agency_id TEXT NOT NULL,
                notice_version INTEGER NOT NULL, given_at TEXT NOT NULL, ip_hash TEXT NOT NULL, withdrawn_at TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_consents_agency_id_candidate_id ON consents (agency_id, candidate_id);
            CREATE INDEX IF NOT EXISTS ix_consents_candidate_id ON consents (candidate_id);
            CREATE TABLE IF NOT EXISTS outbox_mails (id TEXT NOT NULL PRIMARY KEY, candidate_id TEXT NULL, kind TEXT NOT NULL, payload BLOB NOT NULL,
                status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, locked_until TEXT NULL, created_at TEXT NOT NULL,
                sent_at TEXT NULL, last_error TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_mails_candidate_id ON outbox_mails (candidate_id);
            CREATE INDEX IF NOT EXISTS ix_outbox_mails_status_next_attempt_at ON outbox_mails (status, next_attempt_at);
            """;

        // PostgreSQL: the same shapes with its types.
        public static readonly string Postgres = Sqlite.Replace("BLOB", "bytea").Replace("TEXT NOT NULL DEFAULT 'other'", "text NOT NULL DEFAULT 'other'")
            .Replace("created_at TEXT", "created_at timestamptz").Replace("updated_at TEXT", "updated_at timestamptz").Replace("given_at TEXT", "given_at timestamptz")
            .Replace("code_expires_at TEXT", "code_expires_at timestamptz").Replace("next_attempt_at TEXT", "next_attempt_at timestamptz")
            .Replace("sent_at TEXT", "sent_at timestamptz").Replace("verified_at TEXT", "verified_at timestamptz");

        public static readonly string[] Inserts =
        [
            "INSERT INTO candidate_keys (candidate_id, wrapped_key) VALUES (@p0, @p1)",
            "INSERT INTO candidates (id, email_hash, phone_hash, profile, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            "INSERT INTO registrations (id, company_id, link_id, invitation_id, candidate_id, email_hash, phone_hash, status, code_hash, code_expires_at, ip_hash, submitted_profile, lang, created_at, source) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14)",
            "INSERT INTO consents (id, candidate_id, registration_id, agency_id, notice_version, given_at, ip_hash) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
            "INSERT INTO outbox_mails (id, candidate_id, kind, payload, status, attempts, next_attempt_at, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
        ];

        public static readonly string[] PostgresInserts = Inserts.Select(sql =>
            System.Text.RegularExpressions.Regex.Replace(sql, @"@p(\d+)", m => "$" + (int.Parse(m.Groups[1].Value) + 1))).ToArray();

        public const string MarkSent = "UPDATE outbox_mails SET status = 'sent', sent_at = @p0 WHERE id = @p1";

        public static object?[][] Rows<T>(Draft d, T now) where T : notnull =>
        [
            [d.CandidateId, d.WrappedKey],
            [d.CandidateId, d.EmailHash, null, d.Profile, now, now],
            [d.RegistrationId, "company", "link", null, d.CandidateId, d.EmailHash, null, "pending_verification", d.CodeHash,
                now, d.IpHash, d.Profile, "ja", now, "other"],
            [Guid.CreateVersion7().ToString("N"), d.CandidateId, d.RegistrationId, d.AgencyId, 1, now, d.IpHash],
            [d.MailId, d.CandidateId, "verification", d.Mail, "pending", 0, now, now],
        ];
    }
}
