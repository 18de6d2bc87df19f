using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.Operator;

/// <summary>
/// The operator's view of the network over a period: people relayed from each rejecting company to each agency (one per
/// consent of a confirmed registration), and placements from each agency to each hiring company of people some company
/// relayed; what an agency received and has not placed is "in support". Schools are a source column before the companies:
/// the confirmed registrations of graduates who share their outcomes with a partner school (Features/Education), by school and
/// relaying company. Counts only.
/// </summary>
public sealed class NetworkFlows(CareerRelayDb db)
{
    public const string Schools = "school", Companies = "company", Agencies = "agency", Hiring = "hiring";
    public const string InSupport = "in_support";

    public sealed record Node(string Id, string Name, string Column, int Value);
    public sealed record Link(string From, string To, int Count);
    public sealed record View(IReadOnlyList<Node> Nodes, IReadOnlyList<Link> Links, int Relayed, int Placed);

    public async Task<View> ForPeriodAsync(DateTime? since, DateTime? until, string inSupportLabel, CancellationToken ct)
    {
        var consents = await (from c in db.Consents
                              join r in db.Registrations on c.RegistrationId equals r.Id
                              where r.Status != RegistrationStatus.PendingVerification && (since == null || r.CreatedAt >= since) && (until == null || r.CreatedAt <= until)
                              group c by new { r.CompanyId, c.AgencyId } into g
                              select new { g.Key.CompanyId, g.Key.AgencyId, Count = g.Count() }).ToListAsync(ct);
        var placements = await (from p in db.Placements
                                where p.ReferringCompanyId != null && (since == null || p.CreatedAt >= since) && (until == null || p.CreatedAt <= until)
                                select new { p.AgencyId, p.CompanyId, p.HiringCompanyName }).ToListAsync(ct);
        var fromSchools = await (from l in db.SchoolLinks
                                 join r in db.Registrations on l.CandidateId equals r.CandidateId
                                 where l.ShareOutcomes && r.Status != RegistrationStatus.PendingVerification
                                     && (since == null || r.CreatedAt >= since) && (until == null || r.CreatedAt <= until)
                                 group r by new { l.SchoolId, r.CompanyId } into g
                                 select new { g.Key.SchoolId, g.Key.CompanyId, Count = g.Count() }).ToListAsync(ct);
        var schoolIds = fromSchools.Select(s => s.SchoolId).Distinct().ToList();
        var schoolNames = await db.EducationPartners.AsNoTracking().Where(p => schoolIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var companyIds = consents.Select(c => c.CompanyId).Concat(placements.Where(p => p.CompanyId != null).Select(p => p.CompanyId!)).Distinct().ToList();
        var agencyIds = consents.Select(c => c.AgencyId).Concat(placements.Select(p => p.AgencyId)).Distinct().ToList();
        var companyNames = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var agencyNames = await db.Agencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);

        var links = new List<Link>();
        links.AddRange(fromSchools.Select(s => new Link("s:" + s.SchoolId, "c:" + s.CompanyId, s.Count)));
        links.AddRange(consents.Select(c => new Link("c:" + c.CompanyId, "a:" + c.AgencyId, c.Count)));
        var hires = placements.GroupBy(p => (p.AgencyId, Key: p.CompanyId is { } id ? "h:" + id : "n:" + (p.HiringCompanyName ?? "?")))
            .Select(g => new Link("a:" + g.Key.AgencyId, g.Key.Key, g.Count())).ToList();
        links.AddRange(hires);
        foreach (var agency in agencyIds)
        {
            var rest = links.Where(l => l.To == "a:" + agency).Sum(l => l.Count) - hires.Where(h => h.From == "a:" + agency).Sum(h => h.Count);
            if (rest > 0) links.Add(new Link("a:" + agency, InSupport, rest));
        }

        string NameOf(string id) => id switch
        {
            InSupport => inSupportLabel,
            _ when id.StartsWith("c:") || id.StartsWith("h:") => companyNames.GetValueOrDefault(id[2..], "?"),
            _ when id.StartsWith("a:") => agencyNames.GetValueOrDefault(id[2..], "?"),
            _ when id.StartsWith("s:") => schoolNames.GetValueOrDefault(id[2..], "?"),
            _ => id[2..],
        };
        var nodes = links.SelectMany(l => new[] { l.From, l.To }).Distinct().Select(id =>
        {
            var value = Math.Max(links.Where(l => l.To == id).Sum(l => l.Count), links.Where(l => l.From == id).Sum(l => l.Count));
            var column = id.StartsWith("s:") ? Schools : id.StartsWith("c:") ? Companies : id.StartsWith("a:") ? Agencies : Hiring;
            return new Node(id, NameOf(id), column, value);
        }).OrderBy(n => n.Column switch { Schools => 0, Companies => 1, Agencies => 2, _ => 3 }).ThenByDescending(n => n.Value).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        return new View(nodes, [.. links.OrderByDescending(l => l.Count)], consents.Sum(c => c.Count), placements.Count);
    }

    /// <summary>The flows as CSV rows (from, to, count), for a spreadsheet.</summary>
    public static string Csv(View view)
    {
        var names = view.Nodes.ToDictionary(n => n.Id, n => n.Name);
        var csv = new System.Text.StringBuilder("fromType,from,toType,to,people\r\n");
        string TypeOf(string id) => id.StartsWith("s:") ? "school" : id.StartsWith("c:") ? "company" : id.StartsWith("a:") ? "agency" : id == InSupport ? "in_support" : "hiring_company";
        foreach (var l in view.Links)
            csv.AppendJoin(',', TypeOf(l.From), Infrastructure.Csv.Field(names[l.From]), TypeOf(l.To), Infrastructure.Csv.Field(names[l.To]),
                l.Count.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        return csv.ToString();
    }
}

/// <summary>
/// A Sankey diagram laid out on the server: three columns (rejecting companies → agencies → hiring companies / in
/// support), four with schools before the companies, node heights and band widths proportional to people. Pure arithmetic over the view; the page draws it as SVG.
/// </summary>
public static class SankeyLayout
{
    public sealed record Box(NetworkFlows.Node Node, double X, double Y, double Height);
    public sealed record Band(string Path, double Width, NetworkFlows.Link Link);
    public sealed record Drawing(double Width, double Height, IReadOnlyList<Box> Boxes, IReadOnlyList<Band> Bands);

    public const double Width = 960, NodeWidth = 14, Gap = 10, Top = 10, MaxPixelsPerPerson = 24;

    public static Drawing Lay(NetworkFlows.View view, double height = 420)
    {
        // Schools, when any graduates share outcomes, are a fourth column on the left; the columns are then spread evenly.
        var columns = view.Nodes.Any(n => n.Column == NetworkFlows.Schools)
            ? new[] { NetworkFlows.Schools, NetworkFlows.Companies, NetworkFlows.Agencies, NetworkFlows.Hiring }
            : new[] { NetworkFlows.Companies, NetworkFlows.Agencies, NetworkFlows.Hiring };
        var xs = columns.Length == 3 ? new[] { 180.0, Width / 2 - NodeWidth / 2, Width - 180 - NodeWidth }
            : [.. Enumerable.Range(0, columns.Length).Select(i => 180 + i * (Width - 360 - NodeWidth) / (columns.Length - 1))];
        var totals = columns.Select(c => view.Nodes.Where(n => n.Column == c).Sum(n => n.Value)).ToArray();
        var counts = columns.Select(c => view.Nodes.Count(n => n.Column == c)).ToArray();
        var usable = columns.Select((_, i) => height - Gap * Math.Max(0, counts[i] - 1)).Min();
        // Proportional, but a small network is not stretched to the full height: at most 24 px per person.
        var scale = totals.Max() == 0 ? 0 : Math.Min(MaxPixelsPerPerson, Math.Max(0.5, usable) / totals.Max());
        var boxes = new Dictionary<string, Box>();
        for (var i = 0; i < columns.Length; i++)
        {
            var y = Top;
            foreach (var node in view.Nodes.Where(n => n.Column == columns[i]))
            {
                var h = Math.Max(2, node.Value * scale);
                boxes[node.Id] = new Box(node, xs[i], y, h);
                y += h + Gap;
            }
        }
        var outOffset = boxes.Keys.ToDictionary(k => k, _ => 0.0);
        var inOffset = boxes.Keys.ToDictionary(k => k, _ => 0.0);
        var bands = new List<Band>();
        foreach (var link in view.Links.OrderBy(l => boxes[l.From].Y).ThenBy(l => boxes[l.To].Y))
        {
            var (a, b) = (boxes[link.From], boxes[link.To]);
            var w = Math.Max(1, link.Count * scale);
            var y0 = a.Y + outOffset[link.From] + w / 2;
            var y1 = b.Y + inOffset[link.To] + w / 2;
            outOffset[link.From] += w;
            inOffset[link.To] += w;
            var x0 = a.X + NodeWidth;
            var x1 = b.X;
            var mid = (x0 + x1) / 2;
            bands.Add(new Band(string.Create(CultureInfo.InvariantCulture, $"M{x0:0.#},{y0:0.#} C{mid:0.#},{y0:0.#} {mid:0.#},{y1:0.#} {x1:0.#},{y1:0.#}"), w, link));
        }
        var bottom = boxes.Values.Select(b => b.Y + b.Height).DefaultIfEmpty(Top).Max();
        return new Drawing(Width, bottom + Top, [.. boxes.Values], bands);
    }
}
