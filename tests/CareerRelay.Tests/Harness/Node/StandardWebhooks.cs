using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Harness.Node;

/// <summary>Runs the npm <c>standardwebhooks</c> package under node to verify a webhook we sent: an implementation that is not ours.</summary>
public static class StandardWebhooks
{
    private static readonly string ProjectDirectory = FindProjectDirectory();

    /// <summary>The verified payload; throws with the library's message when the signature does not verify.</summary>
    /// <param name="at">The moment of checking (the library refuses timestamps more than 5 minutes off): the app's clock.</param>
    public static async Task<JsonNode> VerifyAsync(string secret, WebhookReceiver.Received received, DateTimeOffset at)
    {
        var start = new ProcessStartInfo("node", ["-e", $"Date.now = () => {at.ToUnixTimeMilliseconds()}; require('./Harness/Node/verify-webhook.js')"])
        {
            WorkingDirectory = ProjectDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start (is Node.js installed?)");
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            secret,
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = received.Id, ["webhook-timestamp"] = received.Timestamp, ["webhook-signature"] = received.Signature,
            },
            body = received.Body,
        }));
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0) throw new InvalidOperationException($"standardwebhooks refused the webhook: {error}");
        return JsonNode.Parse(output)!;
    }

    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CareerRelay.Tests.csproj"))) return dir.FullName;
        throw new InvalidOperationException("The test project folder (with node_modules) was not found above " + AppContext.BaseDirectory);
    }
}
