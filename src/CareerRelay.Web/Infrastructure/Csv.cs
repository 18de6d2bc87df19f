namespace CareerRelay.Web.Infrastructure;

/// <summary>RFC 4180 fields, and no spreadsheet formula injection: a value starting with = + - @ is prefixed with '.</summary>
public static class Csv
{
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
