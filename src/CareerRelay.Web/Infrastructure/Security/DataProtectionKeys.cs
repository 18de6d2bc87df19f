using System.Xml.Linq;
using CareerRelay.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Security;

/// <summary>One ASP.NET Core Data Protection key (cookies, anti-forgery), as XML whose secret is sealed with our key.</summary>
public sealed class DataProtectionKey
{
    public required string Id { get; init; }
    public required string Xml { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// Data Protection keys in the database, so every node of a deployment signs and reads the same session and
/// anti-forgery cookies (issue 9: stateless nodes). The key material inside each XML element is sealed
/// (AES-GCM) with a key derived from the master key, so a database dump alone does not hold usable keys.
/// </summary>
public static class DataProtectionKeys
{
    public static IServiceCollection AddDataProtectionInDatabase(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("CareerRelay");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>());
            o.XmlEncryptor = new SealingXmlEncryptor(sp.GetRequiredService<KeyRing>());
        }));
        return services;
    }

    private sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, TimeProvider clock) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.CreatedAt).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                Id = Ids.New(), Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = clock.GetUtcNow().UtcDateTime,
            });
            db.SaveChanges();
        }
    }

    /// <summary>Replaces the key's secret XML with <c>&lt;sealed&gt;base64&lt;/sealed&gt;</c>; <see cref="UnsealingXmlDecryptor"/> reverses it.</summary>
    private sealed class SealingXmlEncryptor(KeyRing keys) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
            new(new XElement("sealed", Convert.ToBase64String(PersonalDataCipher.Seal(keys.DataProtectionKey,
                System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting))))), typeof(UnsealingXmlDecryptor));
    }
}

/// <summary>Opens what <c>SealingXmlEncryptor</c> sealed. Created by Data Protection through its service provider.</summary>
public sealed class UnsealingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(System.Text.Encoding.UTF8.GetString(PersonalDataCipher.Open(services.GetRequiredService<KeyRing>().DataProtectionKey,
            Convert.FromBase64String(encryptedElement.Value))));
}
