using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Alumni;
using CareerRelay.Web.Features.Experiments;
using CareerRelay.Web.Features.Interviews;
using CareerRelay.Web.Features.Line;
using CareerRelay.Web.Features.Messages;
using CareerRelay.Web.Features.Brand;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Ats;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Education;
using CareerRelay.Web.Features.Health;
using CareerRelay.Web.Features.Home;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Matching;
using CareerRelay.Web.Features.Operator;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Features.Referrals;
using CareerRelay.Web.Features.Retention;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Surveys;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Idempotency;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.OpenApi;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Telemetry;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Webhooks;

// `CareerRelay.Web migrate`, `verify-ledger`, `replay-erasures <file>` … run a command instead of serving.
var (command, commandArgument, hostArgs) = Commands.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);

// Cross-cutting parts
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<CareerRelayOptions>().BindConfiguration("CareerRelay").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<PublicUrls>();
builder.Services.AddSingleton<PageRenderer>();
// Pages are UTF-8: write Japanese as characters, not as &#x…; entities (a third of the bytes).
builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddMemoryCache();
builder.Services.AddProblemHandling();
builder.Services.AddErrorPages();
builder.Services.AddApiKeyAuthentication();
builder.Services.AddSingleton<IdempotencySweeper>().AddHostedService(sp => sp.GetRequiredService<IdempotencySweeper>());
builder.Services.AddPublicRateLimiting(builder.Configuration);
builder.Services.AddReverseProxySupport(builder.Configuration);
builder.Services.AddApiDocumentation();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = 1024 * 1024;
    k.AddServerHeader = false;
});
builder.AddTelemetry();
builder.AddCareerRelayData();
builder.AddKeys();
builder.AddMail();
builder.AddWebhooks();

// Features, each wired by its own AddX (services) and MapX (routes) in Features/X/XFeature.cs.
// The relay: links → registrations → qualification → slots
builder.AddLinks();
builder.AddRegistrations();
builder.AddCredits();
builder.AddCandidates();
builder.AddCompanies();
builder.AddJobs();
builder.AddRedemptions();
builder.AddAgencies();
// Reaching the person: messages, 面談 scheduling, LINE
builder.AddMessages();
builder.AddInterviews();
builder.AddLine();
builder.AddRetention();
builder.AddMatching();
builder.AddSurveys();
builder.AddReferrals();
builder.AddAlumni();
builder.AddBrand();
builder.AddExperiments();
builder.AddAts();
// Schools and training providers: graduates' outcomes, courses that close a skill gap
builder.AddEducation();
builder.AddCompanyConsole();
builder.AddOperator();

var app = builder.Build();
if (command is not null) return await Commands.RunAsync(app, command, commandArgument);
await Startup.PrepareAsync(app);

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseProblemHandling();
app.UseApiKeyAuthentication();
app.UseEndpointAuthorization();
app.UsePublicRateLimiting();
app.UseFormBodyGuard();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapStaticAssets();
app.MapHealth();
app.MapTelemetry();
app.MapMail();
app.MapHome();
app.MapRegistrations();
app.MapOperator();
app.MapCompanies();
app.MapLinks();
app.MapCredits();
app.MapJobs();
app.MapRedemptions();
app.MapAts();
app.MapAgencies();
app.MapMessages();
app.MapInterviews();
app.MapLine();
app.MapRetention();
app.MapCandidates();
app.MapSurveys();
app.MapCompanyConsole();
app.MapReferrals();
app.MapAlumni();
app.MapBrand();
app.MapExperiments();
app.MapEducation();
app.MapOpenApi("/openapi/{documentName}.json");
// Only under /api/docs: the UI's middleware (a static-file server of its own) otherwise ran on every request.
app.UseWhen(http => http.Request.Path.StartsWithSegments("/api/docs"),
    docs => docs.UseSwaggerUI(ui => { ui.RoutePrefix = "api/docs"; ui.SwaggerEndpoint("/openapi/v1.json", "CareerRelay API v1"); }));
app.MapApiFallback();

await app.RunAsync();
return 0;

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
