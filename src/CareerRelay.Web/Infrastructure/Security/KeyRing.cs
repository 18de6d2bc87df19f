using System.Security.Cryptography;
using System.Text;

namespace CareerRelay.Web.Infrastructure.Security;

public sealed class KeyOptions
{
    /// <summary>Base64 of 32 random bytes. Absent: created once under <c>{DataDirectory}/keys/master.key</c>.</summary>
    public string? MasterKey { get; set; }
}

/// <summary>
/// The application's secrets, derived from one master key: the key-encryption key that wraps each
/// candidate's own data key, and the HMAC keys for lookup hashes (email, phone, IP) and tokens.
/// Multi-node deployments must configure <c>CareerRelay:Keys:MasterKey</c> so every node agrees.
/// </summary>
public sealed class KeyRing
{
    public KeyRing(byte[] masterKey)
    {
        if (masterKey.Length != 32) throw new InvalidOperationException("The master key must be 32 bytes.");
        KeyEncryptionKey = Derive(masterKey, "careerrelay/kek/v1");
        LookupKey = Derive(masterKey, "careerrelay/lookup/v1");
        IpKey = Derive(masterKey, "careerrelay/ip/v1");
        SystemDataKey = Derive(masterKey, "careerrelay/system-data/v1");
        CredentialKey = Derive(masterKey, "careerrelay/credentials/v1");
        DataProtectionKey = Derive(masterKey, "careerrelay/data-protection/v1");
    }

    public byte[] KeyEncryptionKey { get; }
    public byte[] LookupKey { get; }
    public byte[] IpKey { get; }
    /// <summary>Encrypts outbox mail that belongs to no candidate (e.g. to a company contact).</summary>
    public byte[] SystemDataKey { get; }
    /// <summary>Encrypts sign-in secrets kept at rest (two-factor TOTP keys).</summary>
    public byte[] CredentialKey { get; }
    /// <summary>Seals the ASP.NET Core Data Protection keys stored in the database (cookies, anti-forgery).</summary>
    public byte[] DataProtectionKey { get; }

    public static KeyRing Load(KeyOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
            return new KeyRing(Convert.FromBase64String(options.MasterKey));

        var dir = Path.Combine(dataDirectory, "keys");
        var file = Path.Combine(dir, "master.key");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(dir);
            var key = RandomNumberGenerator.GetBytes(32);
            // CreateNew: if two processes race on first start, one wins and the other reads its key.
            try
            {
                using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException) when (File.Exists(file)) { }
        }
        return new KeyRing(Convert.FromBase64String(File.ReadAllText(file).Trim()));
    }

    private static byte[] Derive(byte[] master, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: Encoding.UTF8.GetBytes(purpose));
}
