using System.Text;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Idempotency;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CareerRelay.Web.Data;

/// <summary>
/// The one DbContext. Tables and columns are snake_case so hand-written SQL reads the same on SQLite
/// and PostgreSQL; tenant-owned tables lead their keys and indexes with the tenant id (Citus-ready).
/// </summary>
public sealed class CareerRelayDb(DbContextOptions<CareerRelayDb> options) : DbContext(options)
{
    private List<Action>? _afterCommit;

    /// <summary>
    /// Runs <paramref name="action"/> once the current write transaction (<see cref="DbWriteGate"/>) has committed, and
    /// never if it rolls back or is retried — for effects outside the database, such as counting a metric. Outside a
    /// transaction — and outside <see cref="DbWriteGate.RunAsOneBatchAsync"/>, whose batch is one — it runs at once.
    /// </summary>
    public void OnCommitted(Action action)
    {
        if (Database.CurrentTransaction is null && !InOneBatch) action();
        else (_afterCommit ??= []).Add(action);
    }

    /// <summary>Set while <see cref="DbWriteGate.RunAsOneBatchAsync"/> runs work whose batch will be its transaction.</summary>
    internal bool InOneBatch { get; set; }

    internal void ForgetCommitted() => _afterCommit?.Clear();

    internal void RunCommitted()
    {
        if (_afterCommit is not { Count: > 0 } actions) return;
        var run = actions.ToArray();
        actions.Clear();
        foreach (var action in run) action();
    }

    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<CompanyPartnerAgency> CompanyPartnerAgencies => Set<CompanyPartnerAgency>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ConsentNotice> ConsentNotices => Set<ConsentNotice>();
    public DbSet<RelayLink> RelayLinks => Set<RelayLink>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Candidate> Candidates => Set<Candidate>();
    public DbSet<Erasure> Erasures => Set<Erasure>();
    public DbSet<CandidateKey> CandidateKeys => Set<CandidateKey>();
    public DbSet<MeToken> MeTokens => Set<MeToken>();
    public DbSet<CandidateFile> CandidateFiles => Set<CandidateFile>();
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<PersonBinding> PersonBindings => Set<PersonBinding>();
    public DbSet<Consent> Consents => Set<Consent>();
    public DbSet<ProvisionRecord> ProvisionRecords => Set<ProvisionRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CompanyAccount> CompanyAccounts => Set<CompanyAccount>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<RegistrationCountDelta> RegistrationCountDeltas => Set<RegistrationCountDelta>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<Redemption> Redemptions => Set<Redemption>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    public DbSet<MailSuppression> MailSuppressions => Set<MailSuppression>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<TenantUser> TenantUsers => Set<TenantUser>();
    public DbSet<SignInToken> SignInTokens => Set<SignInToken>();
    public DbSet<LinkClickDay> LinkClickDays => Set<LinkClickDay>();
    public DbSet<LinkSourceDay> LinkSourceDays => Set<LinkSourceDay>();
    public DbSet<PipelineEvent> PipelineEvents => Set<PipelineEvent>();
    public DbSet<AgencyCandidate> AgencyCandidates => Set<AgencyCandidate>();
    public DbSet<Placement> Placements => Set<Placement>();
    public DbSet<Features.Retention.PlacementCheck> PlacementChecks => Set<Features.Retention.PlacementCheck>();
    public DbSet<Features.Retention.PlacementFollowUp> PlacementFollowUps => Set<Features.Retention.PlacementFollowUp>();
    public DbSet<Introduction> Introductions => Set<Introduction>();
    public DbSet<Features.Surveys.Survey> Surveys => Set<Features.Surveys.Survey>();
    public DbSet<Reapplication> Reapplications => Set<Reapplication>();
    public DbSet<Infrastructure.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Infrastructure.Webhooks.WebhookEndpoint>();
    public DbSet<Infrastructure.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Infrastructure.Webhooks.WebhookDelivery>();
    public DbSet<Features.Ats.AtsConnection> AtsConnections => Set<Features.Ats.AtsConnection>();
    public DbSet<Features.Ats.AtsEvent> AtsEvents => Set<Features.Ats.AtsEvent>();
    public DbSet<Features.Ats.EntrustedMail> EntrustedMails => Set<Features.Ats.EntrustedMail>();
    public DbSet<Features.Ats.EntrustedSettings> EntrustedSettings => Set<Features.Ats.EntrustedSettings>();
    public DbSet<Features.Ats.ImportUpload> ImportUploads => Set<Features.Ats.ImportUpload>();
    public DbSet<Features.Referrals.ReferralProgramme> ReferralProgrammes => Set<Features.Referrals.ReferralProgramme>();
    public DbSet<Features.Referrals.Referrer> Referrers => Set<Features.Referrals.Referrer>();
    public DbSet<Features.Referrals.ReferralApplication> ReferralApplications => Set<Features.Referrals.ReferralApplication>();
    public DbSet<Features.Operator.ReviewAction> ReviewActions => Set<Features.Operator.ReviewAction>();
    public DbSet<Features.Messages.Message> Messages => Set<Features.Messages.Message>();
    public DbSet<Features.Messages.MessageBlock> MessageBlocks => Set<Features.Messages.MessageBlock>();
    public DbSet<Features.Interviews.Interview> Interviews => Set<Features.Interviews.Interview>();
    public DbSet<Features.Interviews.InterviewSlot> InterviewSlots => Set<Features.Interviews.InterviewSlot>();
    public DbSet<Features.Line.LineLink> LineLinks => Set<Features.Line.LineLink>();
    public DbSet<Features.Line.LineLinkCode> LineLinkCodes => Set<Features.Line.LineLinkCode>();
    public DbSet<Features.Line.LineWebhookEvent> LineWebhookEvents => Set<Features.Line.LineWebhookEvent>();
    public DbSet<Features.Line.LinePush> LinePushes => Set<Features.Line.LinePush>();
    public DbSet<Features.Experiments.Experiment> Experiments => Set<Features.Experiments.Experiment>();
    public DbSet<Features.Experiments.ExperimentVariant> ExperimentVariants => Set<Features.Experiments.ExperimentVariant>();
    public DbSet<Features.Brand.CompanyProfile> CompanyProfiles => Set<Features.Brand.CompanyProfile>();
    public DbSet<Features.Alumni.AlumniLink> AlumniLinks => Set<Features.Alumni.AlumniLink>();
    public DbSet<Features.Alumni.AlumniMember> AlumniMembers => Set<Features.Alumni.AlumniMember>();
    public DbSet<Features.Alumni.AlumniRehire> AlumniRehires => Set<Features.Alumni.AlumniRehire>();
    public DbSet<Features.Education.EducationPartner> EducationPartners => Set<Features.Education.EducationPartner>();
    public DbSet<Features.Education.SchoolLink> SchoolLinks => Set<Features.Education.SchoolLink>();
    public DbSet<Features.Education.Course> Courses => Set<Features.Education.Course>();
    public DbSet<Features.Education.CourseRequest> CourseRequests => Set<Features.Education.CourseRequest>();
    public DbSet<Features.Companies.Consortium> Consortia => Set<Features.Companies.Consortium>();
    public DbSet<Features.Companies.ConsortiumMember> ConsortiumMembers => Set<Features.Companies.ConsortiumMember>();
    public DbSet<Infrastructure.Security.DataProtectionKey> DataProtectionKeys => Set<Infrastructure.Security.DataProtectionKey>();
    public DbSet<Infrastructure.Web.RateLimitWindow> RateLimitWindows => Set<Infrastructure.Web.RateLimitWindow>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Company>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.ContactEmail).HasMaxLength(254);
            e.Property(x => x.EmailDomain).HasMaxLength(254);
        });
        b.Entity<Agency>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.LicenseNumber).HasMaxLength(50);
        });
        b.Entity<CompanyPartnerAgency>().HasKey(x => new { x.CompanyId, x.AgencyId });
        b.Entity<ApiKey>(e =>
        {
            e.HasIndex(x => x.KeyHash).IsUnique();
            e.HasIndex(x => new { x.TenantId, x.Id });
        });
        b.Entity<ConsentNotice>(e =>
        {
            e.HasKey(x => x.Version);
            e.Property(x => x.Version).ValueGeneratedNever();
        });
        b.Entity<RelayLink>(e =>
        {
            e.HasIndex(x => x.Token).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.Id });
        });
        b.Entity<Invitation>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.LinkId });
            e.HasIndex(x => new { x.ExperimentId, x.Variant });
        });
        b.Entity<Features.Experiments.Experiment>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.CreatedAt });
            e.HasIndex(x => x.RunningLinkId).IsUnique();
        });
        b.Entity<Features.Experiments.ExperimentVariant>().HasKey(x => new { x.ExperimentId, x.Key });
        b.Entity<Features.Operator.ReviewAction>(e =>
        {
            e.HasIndex(x => new { x.SubjectType, x.SubjectId, x.CreatedAt });
            e.HasIndex(x => new { x.Action, x.CreatedAt });
        });
        b.Entity<Features.Messages.Message>(e =>
        {
            e.HasIndex(x => new { x.AgencyId, x.CandidateId, x.Id });
            e.HasIndex(x => new { x.CandidateId, x.Id });
            e.HasIndex(x => new { x.SenderId, x.CreatedAt });
        });
        b.Entity<Features.Messages.MessageBlock>().HasKey(x => new { x.CandidateId, x.AgencyId });
        b.Entity<MailSuppression>().HasKey(x => x.AddressHash);
        b.Entity<Features.Interviews.Interview>(e =>
        {
            e.HasIndex(x => new { x.AgencyId, x.CandidateId, x.CreatedAt });
            e.HasIndex(x => new { x.CandidateId, x.CreatedAt });
            e.HasIndex(x => new { x.Status, x.RemindAt });
        });
        b.Entity<Features.Interviews.InterviewSlot>().HasIndex(x => new { x.InterviewId, x.StartAt });
        b.Entity<Features.Line.LineLink>(e =>
        {
            e.HasKey(x => x.CandidateId);
            e.HasIndex(x => x.UserIdHash).IsUnique();
        });
        b.Entity<Features.Line.LineLinkCode>(e =>
        {
            e.HasKey(x => x.CodeHash);
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<Features.Line.LineWebhookEvent>().HasKey(x => x.EventId);
        b.Entity<Features.Line.LinePush>(e =>
        {
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<Candidate>(e =>
        {
            e.HasIndex(x => x.EmailHash).IsUnique();
            e.HasIndex(x => x.UpdatedAt); // the match index follows changes by it (MatchIndexFollower)
        });
        b.Entity<CandidateKey>().HasKey(x => x.CandidateId);
        b.Entity<MeToken>(e =>
        {
            e.HasKey(x => x.TokenHash);
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<CandidateFile>().HasKey(x => x.CandidateId);
        b.Entity<Registration>(e =>
        {
            // A step saves only if the status is still the one it started from; a racing step (a second confirmation on
            // another node, a release and a reversal at once) fails and DbWriteGate retries it on what is now true.
            e.Property(x => x.Status).IsConcurrencyToken();
            e.HasIndex(x => x.CodeHash).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => new { x.CompanyId, x.LinkId, x.Status });
            e.HasIndex(x => new { x.IpHash, x.CreatedAt });
            e.HasIndex(x => new { x.LinkId, x.QualifiedAt });
            e.HasIndex(x => new { x.EmailHash, x.CreatedAt });
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<PersonBinding>().HasKey(x => x.KeyHash);
        b.Entity<Consent>(e =>
        {
            e.HasIndex(x => new { x.AgencyId, x.CandidateId });
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<ProvisionRecord>().HasIndex(x => new { x.CandidateId, x.CreatedAt });
        b.Entity<AuditEntry>().HasIndex(x => new { x.CandidateId, x.CreatedAt });
        b.Entity<CompanyAccount>(e =>
        {
            e.HasKey(x => x.CompanyId);
            // The safety net under the conditional UPDATEs: no balance or debt below zero, whatever the race.
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_company_accounts_balance", "balance >= 0");
                t.HasCheckConstraint("ck_company_accounts_slots_owed", "slots_owed >= 0");
                t.HasCheckConstraint("ck_company_accounts_qualified_count", "qualified_count >= 0");
            });
        });
        b.Entity<RegistrationCountDelta>().HasIndex(x => x.CompanyId);
        b.Entity<LedgerEntry>(e =>
        {
            e.HasIndex(x => x.BusinessKey).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => new { x.CompanyId, x.Type });
            e.HasIndex(x => x.Reference);
        });
        b.Entity<Job>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.Property(x => x.Title).HasMaxLength(200);
        });
        b.Entity<Redemption>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => new { x.JobId, x.Status });
        });
        b.Entity<OutboxMail>(e =>
        {
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => x.CandidateId);
        });

        b.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(x => new { x.Scope, x.Key });
            e.Property(x => x.Key).HasMaxLength(200);
            e.HasIndex(x => x.CreatedAt);
        });

        b.Entity<TenantUser>(e =>
        {
            e.HasIndex(x => x.Email).IsUnique();
            e.HasIndex(x => new { x.TenantId, x.Id });
            e.Property(x => x.Email).HasMaxLength(254);
        });
        b.Entity<SignInToken>(e =>
        {
            e.HasKey(x => x.TokenHash);
            e.HasIndex(x => x.UserId);
        });
        b.Entity<PipelineEvent>().HasIndex(x => new { x.AgencyId, x.CandidateId, x.CreatedAt });
        b.Entity<AgencyCandidate>(e =>
        {
            e.HasKey(x => new { x.AgencyId, x.CandidateId });
            e.HasIndex(x => new { x.AgencyId, x.Stage });
        });
        b.Entity<Placement>(e =>
        {
            e.HasIndex(x => x.BusinessKey).IsUnique();
            e.HasIndex(x => new { x.AgencyId, x.Id });
            e.HasIndex(x => x.ReferringCompanyId);
        });
        b.Entity<Features.Retention.PlacementCheck>(e =>
        {
            e.HasIndex(x => new { x.PlacementId, x.Month }).IsUnique();
            e.HasIndex(x => x.AgencyId);
            e.HasIndex(x => x.CandidateId);
            e.HasIndex(x => x.PersonTokenHash).IsUnique();
        });
        b.Entity<Features.Retention.PlacementFollowUp>(e =>
        {
            e.HasIndex(x => new { x.PlacementId, x.Sequence }).IsUnique();
            e.HasIndex(x => x.AgencyId);
        });
        b.Entity<Introduction>(e =>
        {
            e.HasIndex(x => new { x.AgencyId, x.CandidateId });
            e.HasIndex(x => new { x.CompanyId, x.Status });
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<Features.Surveys.Survey>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.Status, x.DueAt });
            e.HasIndex(x => new { x.CompanyId, x.Status });
            e.HasIndex(x => x.RegistrationId);
        });
        b.Entity<Reapplication>(e =>
        {
            e.HasIndex(x => new { x.CandidateId, x.CompanyId }).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.CreatedAt });
        });
        b.Entity<Infrastructure.Webhooks.WebhookEndpoint>().HasIndex(x => new { x.TenantId, x.Id });
        b.Entity<Infrastructure.Webhooks.WebhookDelivery>(e =>
        {
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => new { x.EndpointId, x.CreatedAt });
        });
        b.Entity<Features.Ats.AtsConnection>().HasIndex(x => new { x.CompanyId, x.Id });
        b.Entity<Features.Ats.AtsEvent>(e =>
        {
            e.HasKey(x => new { x.CompanyId, x.EventId });
            e.HasIndex(x => new { x.CompanyId, x.ApplicationId, x.CreatedAt });
        });
        b.Entity<Features.Ats.EntrustedMail>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => new { x.CompanyId, x.ApplicationId });
            e.HasIndex(x => new { x.PurgedAt, x.SendAt });
        });
        b.Entity<Features.Ats.EntrustedSettings>().HasKey(x => x.CompanyId);
        b.Entity<Features.Ats.ImportUpload>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => x.CreatedAt);
        });
        b.Entity<Features.Referrals.ReferralProgramme>().HasIndex(x => new { x.CompanyId, x.Id });
        b.Entity<Features.Referrals.Referrer>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => x.LinkToken).IsUnique();
            e.HasIndex(x => x.StatusTokenHash).IsUnique();
            e.HasIndex(x => x.AlumniMemberId).IsUnique();
        });
        b.Entity<Features.Referrals.ReferralApplication>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Stage });
            e.HasIndex(x => new { x.ReferrerId, x.CreatedAt });
            e.HasIndex(x => x.CodeHash).IsUnique();
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<Features.Brand.CompanyProfile>(e =>
        {
            e.HasKey(x => x.CompanyId);
            e.HasIndex(x => x.Slug).IsUnique();
            e.Property(x => x.Slug).HasMaxLength(40);
        });
        b.Entity<Features.Alumni.AlumniLink>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.Id });
            e.HasIndex(x => x.Token).IsUnique();
        });
        b.Entity<Features.Alumni.AlumniMember>(e =>
        {
            e.HasIndex(x => new { x.CompanyId, x.CandidateId }).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.Status, x.Id });
            e.HasIndex(x => x.CandidateId);
            e.HasIndex(x => x.CodeHash);
        });
        b.Entity<Features.Alumni.AlumniRehire>(e =>
        {
            e.HasIndex(x => new { x.MemberId, x.On, x.Kind }).IsUnique();
            e.HasIndex(x => new { x.CompanyId, x.On });
        });
        b.Entity<Features.Education.EducationPartner>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.ContactEmail).HasMaxLength(254);
            e.HasIndex(x => new { x.Kind, x.Name });
        });
        b.Entity<Features.Education.SchoolLink>(e =>
        {
            e.HasKey(x => x.CandidateId);
            e.HasIndex(x => new { x.SchoolId, x.GraduationYear });
        });
        b.Entity<Features.Education.Course>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(200);
            e.HasIndex(x => new { x.ProviderId, x.Id });
        });
        b.Entity<Features.Education.CourseRequest>(e =>
        {
            e.HasIndex(x => new { x.CourseId, x.CandidateId }).IsUnique();
            e.HasIndex(x => new { x.ProviderId, x.Id });
            e.HasIndex(x => x.CandidateId);
        });
        b.Entity<Features.Companies.Consortium>().HasIndex(x => x.InviteCodeHash).IsUnique();
        b.Entity<Features.Companies.ConsortiumMember>(e =>
        {
            e.HasKey(x => new { x.ConsortiumId, x.CompanyId });
            e.HasIndex(x => x.CompanyId);
        });
        b.Entity<Infrastructure.Security.DataProtectionKey>().HasIndex(x => x.CreatedAt);
        b.Entity<Infrastructure.Web.RateLimitWindow>().HasKey(x => new { x.WindowStart, x.Bucket });
        b.Entity<Erasure>(e =>
        {
            e.HasKey(x => x.CandidateId);
            e.HasIndex(x => x.ErasedAt);
        });
        b.Entity<LinkClickDay>(e =>
        {
            e.HasKey(x => new { x.LinkId, x.Day });
            e.HasIndex(x => new { x.CompanyId, x.Day });
        });
        b.Entity<LinkSourceDay>(e =>
        {
            e.HasKey(x => new { x.LinkId, x.Day, x.Source });
            e.HasIndex(x => new { x.CompanyId, x.Day });
        });

        ApplySnakeCaseAndUtc(b);
    }

    /// <summary>snake_case names everywhere, and every DateTime read back as UTC (SQLite keeps no kind).</summary>
    private static void ApplySnakeCaseAndUtc(ModelBuilder b)
    {
        var utc = new ValueConverter<DateTime, DateTime>(v => DateTime.SpecifyKind(v, DateTimeKind.Utc), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        var utcNullable = new ValueConverter<DateTime?, DateTime?>(
            v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v,
            v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

        foreach (var entity in b.Model.GetEntityTypes())
        {
            entity.SetTableName(ToSnakeCase(entity.GetTableName()!));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
                if (property.ClrType == typeof(DateTime)) property.SetValueConverter(utc);
                if (property.ClrType == typeof(DateTime?)) property.SetValueConverter(utcNullable);
            }
            foreach (var key in entity.GetKeys()) key.SetName(ToSnakeCase(key.GetName()!));
            foreach (var index in entity.GetIndexes()) index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
        }
    }

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
