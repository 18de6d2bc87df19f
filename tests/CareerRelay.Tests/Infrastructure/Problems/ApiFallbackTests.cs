using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Infrastructure.Problems;

/// <summary>
/// A request no endpoint takes falls to the API's fallback. Routing leaves a JSON route out when the request does not say
/// it carries JSON, and a route out for another method; the fallback then answered "the route does not exist" (404) for a
/// route that does. Found by posting a registration as text/plain.
/// </summary>
public sealed class ApiFallbackTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly ApiClient _api = app.Api();

    [Theory]
    [InlineData("/api/v1/public/registrations", null)]
    [InlineData("/api/v1/admin/companies", CareerRelayApp.OperatorKey)]
    public async Task ABodyThatIsNotJson_Answers415_SendItAsJson(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain") };
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await ProblemOf(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task APostWithoutABody_Answers400_ThatTheBodyIsMissing()
    {
        using var response = await _api.Http.PostAsync("/api/v1/public/registrations", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.Equal("validation_failed", problem["code"]!.GetValue<string>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey("body"));
    }

    [Fact]
    public async Task AnotherMethod_Answers405WithAllow_AndOnlyAnUnknownRouteIs404()
    {
        using var response = await _api.Http.DeleteAsync("/api/v1/public/registrations");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal("method_not_allowed", (await ProblemOf(response))["code"]!.GetValue<string>());

        var (unknown, body) = await _api.SendAsync(HttpMethod.Post, "/api/v1/public/registration-typo", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("not_found", body!["code"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
