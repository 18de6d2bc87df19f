using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// What a handler of a page in the public frame needs, bound as one parameter (<c>[AsParameters] PublicFramePage page</c>):
/// the request, the page renderer, the form-token source (/me and /signin forms carry one; the public pages' do not) and
/// the operator's details every such page shows. The console and the operator have records of their own
/// (ConsolePage, OperatorPage), with the signed-in user.
/// </summary>
public sealed record PublicFramePage(HttpContext Http, PageRenderer Renderer, IAntiforgery Antiforgery, IOptions<CareerRelayOptions> Site);
