using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CareerRelay.Web.Infrastructure.OpenApi;

/// <summary>
/// /openapi/v1.json as integrators need it: every operation with a summary and example request and answer
/// (<see cref="OperationDocs"/> on each MapX call), its problem answers with their stable codes and examples, the bearer key scheme,
/// every field described (<see cref="FieldDocs"/>), and request bodies' true required fields.
/// </summary>
public static class ApiDocumentation
{
    public const string ProblemSchema = "Problem";
    private const string KeyScheme = "ApiKey";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "CareerRelay API",
                Version = "v1",
                Description = "キャリアリレー: relay rejected candidates to licensed partner agencies; every 10 qualified referrals earn one free hire slot. "
                    + "Auth: 'Authorization: Bearer <api key>' (one tenant, one role, read or write scope). JSON is camelCase, times ISO 8601 UTC, ids strings. "
                    + "Errors are application/problem+json with a stable 'code'. Any POST may carry 'Idempotency-Key' (kept 24 h). "
                    + "Webhooks are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key of the company, agency or operator role.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            // After every schema exists (references and nullable wrappers included): describe each field, set true required lists.
            foreach (var (name, schema) in document.Components.Schemas)
                if (schema is OpenApiSchema concrete) DescribeFields(concrete, name);
            document.Components.Schemas[ProblemSchema] = Problem();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation, context);
            return Task.CompletedTask;
        });
    });

    /// <summary>The catalogue key of an operation: "POST /api/v1/company/ats/events".</summary>
    public static string KeyOf(string method, string relativePath) => $"{method.ToUpperInvariant()} /{relativePath.Trim('/')}";

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var key = KeyOf(description.HttpMethod ?? "GET", description.RelativePath ?? "");
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod?.ToUpperInvariant();
        // The summary and description come from the route's own WithSummary / WithDescription; the examples from WithExamples.
        if (metadata.OfType<OperationExamples>().LastOrDefault() is { } examples)
        {
            if (examples.Request is not null) SetRequestExample(operation, key, examples.Request);
            if (examples.Response is not null) SetResponseExample(operation, examples.Response);
        }

        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var errors = new List<(int Status, string Code, string Detail)>();
        if (method is "POST" or "PUT") errors.Add((400, ProblemCodes.ValidationFailed, "One or more fields are invalid."));
        if (description.ParameterDescriptions.Any(p => p.Name == "limit")) errors.Add((400, ProblemCodes.InvalidLimit, "limit must be a whole number from 1 to 100."));
        if (authorized)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] }];
            errors.Add((401, ProblemCodes.Unauthorized, "Send a valid API key as 'Authorization: Bearer <key>'."));
            errors.Add((403, ProblemCodes.Forbidden, "This API key's role may not use this route (or the key is read-only)."));
        }
        if ((description.RelativePath ?? "").Contains('{')) errors.Add((404, ProblemCodes.NotFound, "The resource does not exist (or is another tenant's)."));
        if (method == "POST")
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false,
                Description = "Retry safely: the same key and body replay the first answer for 24 hours; another body → 422 idempotency_key_reused.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            });
            errors.Add((409, ProblemCodes.IdempotencyKeyInProgress, "The first request with this Idempotency-Key is still running; retry shortly."));
            errors.Add((422, ProblemCodes.IdempotencyKeyReused, "This Idempotency-Key was used with a different request."));
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) errors.Add((429, ProblemCodes.RateLimited, "Too many requests from this address; retry later."));
        // What only this route answers: the feature's own error values, declared on its MapX call (WithErrors).
        errors.AddRange(metadata.OfType<ExpectedErrors>().SelectMany(e => e.Errors).Select(e => (e.Status, e.Code, e.Detail ?? e.Title)));
        errors.Add((503, ProblemCodes.ServiceUnavailable, "The service cannot reach its database for the moment and the request may not have completed. Retry in a few seconds (POSTs with the same Idempotency-Key)."));

        operation.Responses ??= new OpenApiResponses();
        foreach (var group in errors.GroupBy(e => e.Status).OrderBy(g => g.Key))
        {
            var codes = group.Select(e => e.Code).Distinct().ToList();
            var media = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(ProblemSchema, context.Document),
                Examples = group.DistinctBy(e => e.Code).ToDictionary(e => e.Code, e => (IOpenApiExample)new OpenApiExample
                {
                    Summary = e.Code, Value = ProblemExample(e.Status, e.Code, e.Detail),
                }),
            };
            operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = "Problem: " + string.Join(", ", codes),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = media },
            };
        }
    }

    private static void SetRequestExample(OpenApiOperation operation, string key, string example)
    {
        if (key.EndsWith("/ats/imports", StringComparison.Ordinal))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true, Description = "The CSV file: the raw body (text/csv) or the 'file' field of a form.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(example) },
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The CSV file." } },
                        },
                    },
                },
            };
            return;
        }
        var json = JsonNode.Parse(example);
        if (operation.RequestBody is OpenApiRequestBody body && body.Content is { Count: > 0 } content)
        {
            foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = json;
            return;
        }
        // Bodies read raw (the ATS webhooks) have no schema of ours: document them by their published shape.
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object }, Example = json } },
        };
    }

    private static void SetResponseExample(OpenApiOperation operation, string example)
    {
        operation.Responses ??= new OpenApiResponses();
        var json = JsonNode.Parse(example);
        var success = operation.Responses.FirstOrDefault(r => r.Key.StartsWith('2'));
        if (success.Value is not OpenApiResponse response)
        {
            operation.Responses["200"] = response = new OpenApiResponse { Description = "OK" };
        }
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        if (response.Content.Count == 0) response.Content["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } };
        foreach (var media in response.Content.Values.OfType<OpenApiMediaType>()) media.Example = json;
    }

    private static void DescribeFields(OpenApiSchema schema, string typeName)
    {
        if (schema.Properties is null) return;
        foreach (var (name, property) in schema.Properties)
            if (FieldDocs.Descriptions.TryGetValue(name, out var text))
            {
                if (property is OpenApiSchema concrete) concrete.Description ??= text;
                else if (property is OpenApiSchemaReference reference) reference.Description ??= text; // OpenAPI 3.1: a description beside $ref
            }
        if (FieldDocs.Required.TryGetValue(typeName, out var required)) schema.Required = new HashSet<string>(required);
    }

    private static JsonNode ProblemExample(int status, string code, string detail) => new JsonObject
    {
        ["type"] = $"https://careerrelay.jp/problems/{code}", ["title"] = code.Replace('_', ' '), ["status"] = status, ["detail"] = detail, ["code"] = code,
    };

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details with a stable machine code.",
        Required = new HashSet<string> { "status", "title", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the problem type." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the problem type." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong this time." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Description = "The stable machine code; switch on this, never on title or detail.",
                Enum = [.. AllCodes().Select(c => (JsonNode)JsonValue.Create(c)!)],
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Description = "For validation_failed: field → messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    /// <summary>Every stable code in <see cref="ProblemCodes"/>.</summary>
    public static IEnumerable<string> AllCodes() =>
        typeof(ProblemCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}
