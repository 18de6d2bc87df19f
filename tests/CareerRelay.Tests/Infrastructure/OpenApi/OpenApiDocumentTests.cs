using System.Net;
using System.Text.Json.Nodes;
using CareerRelay.Web.Infrastructure.OpenApi;

namespace CareerRelay.Tests.Infrastructure.OpenApi;

/// <summary>
/// /openapi/v1.json documents the whole API: every route the app serves under /api, with a summary, example
/// requests and answers that fit their schemas, every field described, and every stable error code.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<JsonNode> DocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Every (method, path) the app answers under /api, read from its routing table: a new route cannot hide.</summary>
    private List<(string Method, string Path)> ServedRoutes() =>
        [.. Harness.ServedRoutes.Of(app).Where(r => r.IsApi).Select(r => (r.Method, r.Pattern))];

    [Fact]
    public async Task EveryServedApiRoute_IsDocumented_WithASummary()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        var routes = ServedRoutes();
        Assert.True(routes.Count > 60, $"Only {routes.Count} API routes were found; the routing table was not read.");
        var missing = routes.Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json: " + string.Join("; ", missing));
        var unsummarised = routes.Where(r => string.IsNullOrWhiteSpace(paths[r.Path]![r.Method.ToLowerInvariant()]!["summary"]?.GetValue<string>()))
            .Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(unsummarised.Count == 0, "No summary (add .WithSummary on its MapX call): " + string.Join("; ", unsummarised));
    }

    [Fact]
    public async Task NoExample_ShowsAnUnfilledPlaceholder()
    {
        // An integrator copies examples: "events":["{{ev}}"] or "prefix":"{{prefix}}" is template debris, not an example.
        // {{link}} is the product's own placeholder in a company's wording of the rejection mail (experiments), so it stays.
        var text = (await DocumentAsync()).ToJsonString();
        var debris = System.Text.RegularExpressions.Regex.Matches(text, @".{60}\{\{(?!link\}\})\w+\}\}.{20}").Select(m => m.Value).ToList();
        Assert.True(debris.Count == 0, "Unfilled placeholders in /openapi/v1.json:\n" + string.Join("\n", debris));
    }

    [Fact]
    public async Task EveryOperation_HasExamples_ThatFitItsSchemas()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        foreach (var (method, operation) in operations!.AsObject())
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (operation!["requestBody"]?["content"] is JsonObject requestContent)
            {
                if (!requestContent.Any(c => c.Value!["example"] is not null)) problems.Add($"{name}: no request example");
                if (requestContent["application/json"] is { } json && json["example"] is JsonObject example)
                    Check(document, json["schema"], example, $"{name} request", problems, request: true);
            }
            var success = operation["responses"]!.AsObject().FirstOrDefault(r => r.Key.StartsWith('2'));
            if (success.Value is null) { problems.Add($"{name}: no 2xx answer"); continue; }
            if (success.Key == "204") continue; // no content: nothing to show
            var media = success.Value["content"]?["application/json"];
            if (media?["example"] is null) problems.Add($"{name}: no example answer");
            else if (media["example"] is JsonObject answer) Check(document, media["schema"], answer, $"{name} answer", problems, request: false);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryStableErrorCode_IsDocumented_WithAnExample_AndEveryFieldIsDescribed()
    {
        var document = await DocumentAsync();
        var text = document.ToJsonString();
        var exampleCodes = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => o.Value!["responses"]!.AsObject())
            .SelectMany(r => (r.Value!["content"]?["application/problem+json"]?["examples"] as JsonObject)?.Select(e => e.Key) ?? [])
            .ToHashSet();
        var undocumented = ApiDocumentation.AllCodes().Where(c => !exampleCodes.Contains(c)).ToList();
        Assert.True(undocumented.Count == 0, "Error codes with no documented example: " + string.Join(", ", undocumented));
        Assert.Equal(ApiDocumentation.AllCodes().Order(), document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).Order());

        var bare = document["components"]!["schemas"]!.AsObject()
            .SelectMany(s => (s.Value!["properties"] as JsonObject)?.Where(p => string.IsNullOrWhiteSpace(p.Value!["description"]?.GetValue<string>()))
                .Select(p => $"{s.Key}.{p.Key}") ?? [])
            .ToList();
        Assert.True(bare.Count == 0, "Fields without a description (add to FieldDocs): " + string.Join(", ", bare));
        Assert.Contains("\"bearer\"", text);
    }

    [Fact]
    public async Task TheBrowsableReference_IsServed()
    {
        var response = await app.CreateClient().GetAsync("/api/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An example may only use fields its schema has; a request example must carry every required field.</summary>
    private static void Check(JsonNode document, JsonNode? schema, JsonNode? example, string where, List<string> problems, bool request)
    {
        schema = Resolve(document, schema);
        if (schema is null || example is null) return;
        if (example is JsonArray array)
        {
            foreach (var item in array) Check(document, schema["items"], item, where + "[]", problems, request);
            return;
        }
        if (example is not JsonObject obj || schema["properties"] is not JsonObject properties) return;
        foreach (var (key, value) in obj)
        {
            if (properties[key] is not { } property) problems.Add($"{where}: '{key}' is not a field of the schema");
            else Check(document, property, value, $"{where}.{key}", problems, request);
        }
        if (request && schema["required"] is JsonArray required)
            foreach (var field in required.Select(r => r!.GetValue<string>()).Where(f => !obj.ContainsKey(f)))
                problems.Add($"{where}: required '{field}' missing from the example");
    }

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var i = 0; i < 5 && schema is not null; i++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
                schema = document["components"]!["schemas"]![reference.Split('/')[^1]];
            else if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
                schema = choices.FirstOrDefault(c => c!["$ref"] is not null || c["properties"] is not null || c["items"] is not null);
            else return schema;
        }
        return schema;
    }
}
