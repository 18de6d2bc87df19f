using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure;

/// <summary>The <c>CareerRelay:*</c> settings of SPEC §6.</summary>
public sealed class CareerRelayOptions
{
    /// <summary>The address candidates reach; used in mailed links. Absent: the server's own first address.</summary>
    [Url] public string? PublicBaseUrl { get; set; }
    // [ValidateObjectMembers]: data-annotation validation does not look inside nested objects unless told to.
    [ValidateObjectMembers] public BootstrapOptions Bootstrap { get; set; } = new();
    [ValidateObjectMembers] public OperatorOptions Operator { get; set; } = new();
    [ValidateObjectMembers] public DemoOptions Demo { get; set; } = new();

    public sealed class BootstrapOptions
    {
        /// <summary>If set at start, an operator API key with exactly this value exists.</summary>
        public string? OperatorApiKey { get; set; }
    }

    /// <summary>Shown on every candidate page (特定募集情報等提供事業の表示).</summary>
    public sealed class OperatorOptions
    {
        [Required] public string Name { get; set; } = "キャリアリレー運営事務局";
        [Required] public string NotificationNumber { get; set; } = "51-募-000000";
        [Required] public string ComplaintContact { get; set; } = "support@careerrelay.example";
    }

    public sealed class DemoOptions
    {
        /// <summary>On an empty database, create a demo company, agency and link and print how to try them.</summary>
        public bool Seed { get; set; } = true;
    }
}

/// <summary>Builds absolute URLs for mails and API answers.</summary>
public sealed class PublicUrls(IOptions<CareerRelayOptions> options, IServer server)
{
    private string? _base;

    public string Base => _base ??= Resolve();

    public string To(string path) => Base + path;

    /// <summary><see cref="To(string)"/> of a path in three parts ("/verify/", a code, "?lang=en"), joined once.</summary>
    public string To(string path, string token, string query) => string.Concat(Base, path, token, query);

    private string Resolve()
    {
        var configured = options.Value.PublicBaseUrl;
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (address ?? "http://localhost:5000").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost")
            .Replace("://+", "://localhost").Replace("://*", "://localhost").TrimEnd('/');
    }
}
