using System.Linq.Expressions;

namespace CareerRelay.Web.Infrastructure.Lists;

/// <summary>The list shape of SPEC §6: <c>{items, nextCursor}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// <c>?limit=</c> 1–100 (default 50) and <c>?cursor=</c>. Ids are time-ordered strings, so the cursor is
/// simply the last id of the previous page; callers page with <c>Where(x =&gt; x.Id &gt; cursor)</c>.
/// </summary>
public readonly record struct PageRequest(int Limit, string? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static Result<PageRequest> Parse(string? limit, string? cursor)
    {
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out size) || size is < 1 or > MaxLimit))
            return new ApiError(400, ProblemCodes.InvalidLimit, "Invalid limit",
                $"limit must be a whole number from 1 to {MaxLimit}.",
                new Dictionary<string, string[]> { ["limit"] = [$"Must be from 1 to {MaxLimit}."] });
        if (cursor is not null && (cursor.Length != 32 || !cursor.All(Uri.IsHexDigit)))
            return ApiError.Invalid("cursor", "Error.Cursor");
        return new PageRequest(size, cursor);
    }

    /// <summary>Builds the page from up to <c>Limit + 1</c> rows fetched in id order.</summary>
    public Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, Func<TRow, string> id, Func<TRow, TOut> map)
    {
        var items = rows.Take(Limit).Select(map).ToList();
        var next = rows.Count > Limit ? id(rows[Limit - 1]) : null;
        return new Page<TOut>(items, next);
    }
}

/// <summary>Keyset paging over time-ordered string ids: rows after the cursor, in id order, one extra to know if there is more.</summary>
public static class PageQueries
{
    public static IQueryable<T> PageAfter<T>(this IQueryable<T> source, PageRequest page, Expression<Func<T, string>> id)
    {
        var filtered = source;
        if (page.After is not null)
        {
            // A captured value (not a constant) so the database sees a parameter and reuses its plan.
            var cursor = new Cursor(page.After);
            var compare = Expression.Call(
                typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
                id.Body, Expression.Property(Expression.Constant(cursor), nameof(Cursor.Value)));
            filtered = source.Where(Expression.Lambda<Func<T, bool>>(
                Expression.GreaterThan(compare, Expression.Constant(0)), id.Parameters));
        }
        return filtered.OrderBy(id).Take(page.Limit + 1);
    }

    private sealed record Cursor(string Value);
}
