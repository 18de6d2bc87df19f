using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CareerRelay.Tests.MultiNode;

/// <summary>Several nodes deployed at once all bootstrap the same operator key: none fails to start (found by R1).</summary>
public sealed class NodesStartingTogetherTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task SixNodesStartingAtOnce_WithANewBootstrapKey_AllStart_AndTheKeyWorksOnEach()
    {
        var key = $"cr_op_{Guid.NewGuid():N}{Guid.NewGuid():N}";
        var nodes = Enumerable.Range(0, 6).Select(_ => app.WithWebHostBuilder(b => b.UseSetting("CareerRelay:Bootstrap:OperatorApiKey", key))).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Server)));
            foreach (var node in nodes)
            {
                using var http = node.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/holds");
                request.Headers.Authorization = new("Bearer", key);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            }
            Assert.Equal(1, await app.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.Prefix == key.Substring(0, 10))));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
