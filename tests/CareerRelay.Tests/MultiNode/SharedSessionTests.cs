using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// Two app nodes on one database, each with its own data folder (as separate machines would have) and the same
/// configured master key: a console session signed in on one node works on the other, because the Data Protection
/// keys live in the database — sealed, never as plain key material.
/// </summary>
public abstract class SharedSessionTests(CareerRelayApp app)
{
    [Fact]
    public async Task ASessionCookieFromOneNode_IsHonouredByAnother_AndTheStoredKeysAreSealed()
    {
        var api = app.Api();
        var admin = $"{ApiClient.Unique("node")}@multinode.example.jp";
        await api.CreateCompanyAsync(contactEmail: admin);
        var (_, cookie) = await SignInAsync(app, admin);

        var masterKey = (await File.ReadAllTextAsync(Path.Combine(app.Directory, "keys", "master.key"))).Trim();
        var otherFolder = Databases.NewTempDirectory();
        await using var node2 = app.WithWebHostBuilder(b => b
            .UseSetting("CareerRelay:DataDirectory", otherFolder)
            .UseSetting("CareerRelay:Keys:MasterKey", masterKey));
        using var client = node2.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false,
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(admin, await response.Content.ReadAsStringAsync());

        // Nothing was written to either node's folder; the database holds the keys, their secrets sealed.
        Assert.False(Directory.Exists(Path.Combine(app.Directory, "keys", "dataprotection")));
        Assert.False(Directory.Exists(Path.Combine(otherFolder, "keys", "dataprotection")));
        var stored = await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<sealed", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }
}

public sealed class SharedSessionTestsOnSqlite(SqliteApp app) : SharedSessionTests(app), IClassFixture<SqliteApp>;
public sealed class SharedSessionTestsOnPostgres(PostgresApp app) : SharedSessionTests(app), IClassFixture<PostgresApp>;
