namespace CareerRelay.Web.Infrastructure;

/// <summary>RFC 4180 fields, and no spreadsheet formula injection: a value starting with = + - @ is prefixed with '.</summary>
public static class Csv
{
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>A CSV download in UTF-8 with a BOM, so Excel in Japan opens it without mojibake; never cached.</summary>
    public static IResult Download(HttpContext http, System.Text.StringBuilder csv, string fileName)
    {
        http.Response.Headers.CacheControl = "no-store";
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return Results.File(bytes, "text/csv; charset=utf-8", fileName);
    }
}
