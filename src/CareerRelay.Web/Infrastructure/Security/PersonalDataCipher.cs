using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CareerRelay.Web.Infrastructure.Security;

/// <summary>
/// Envelope encryption for personal data (crypto-shredding): each candidate has a data key of their
/// own, stored only wrapped under the application's key-encryption key. Destroying the wrapped key
/// makes every copy of their data unreadable — database pages, WAL, backups and outbox alike.
/// Format: nonce (12) | tag (16) | ciphertext, AES-256-GCM.
/// </summary>
public sealed class PersonalDataCipher(KeyRing keys)
{
    private const int NonceSize = 12, TagSize = 16;

    public byte[] NewDataKey() => RandomNumberGenerator.GetBytes(32);

    public byte[] WrapKey(byte[] dataKey) => Seal(keys.KeyEncryptionKey, dataKey);

    public byte[] UnwrapKey(byte[] wrapped) => Open(keys.KeyEncryptionKey, wrapped);

    public byte[] SealJson<T>(byte[] dataKey, T value) => SealAsJson(dataKey, value);

    /// <summary>
    /// <paramref name="value"/> as JSON, sealed: serialised into this thread's reusable buffer (cleared straight after, as it
    /// held the plain text) rather than a new array per value — a registration seals its profile and its mail, and the two
    /// JSON arrays were 8 % of the bytes it allocated (issue 23's allocation profile). Japanese is written as UTF-8 characters,
    /// not the serialiser's default <c>\uXXXX</c> escapes (six bytes a character instead of three): these bytes are only ever
    /// read back by the deserialiser, never placed in a page, and a registration's profile and mail are mostly Japanese.
    /// </summary>
    public static byte[] SealAsJson<T>(byte[] key, T value, JsonTypeInfo<T>? type = null)
    {
        var buffer = t_json ?? new System.Buffers.ArrayBufferWriter<byte>(4096);
        var writer = t_writer ?? new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SealedTextEncoder });
        t_json = null; // ours until given back (serialising does not come back here)
        t_writer = null;
        try
        {
            writer.Reset(buffer);
            // With the source generator's type information the serialiser writes directly, without its reflection state.
            if (type is not null) JsonSerializer.Serialize(writer, value, type);
            else JsonSerializer.Serialize(writer, value);
            writer.Flush();
            return Seal(key, buffer.WrittenSpan);
        }
        finally
        {
            buffer.Clear(); // zeroes what was written
            writer.Reset(Stream.Null);
            if (buffer.Capacity <= 64 * 1024)
            {
                t_json = buffer;
                t_writer = writer;
            }
        }
    }

    /// <summary>Escapes only what JSON and HTML need (quotes, control characters, &lt; &gt; &amp; …); every script as itself.</summary>
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder SealedTextEncoder =
        System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static System.Buffers.ArrayBufferWriter<byte>? t_json;

    public T OpenJson<T>(byte[] dataKey, byte[] sealedValue) =>
        JsonSerializer.Deserialize<T>(Open(dataKey, sealedValue))
        ?? throw new CryptographicException("Sealed value is empty.");

    public static byte[] Seal(byte[] key, byte[] plaintext) => Seal(key, (ReadOnlySpan<byte>)plaintext);

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return output;
    }

    public static byte[] Open(byte[] key, byte[] sealedValue)
    {
        if (sealedValue.Length < NonceSize + TagSize) throw new CryptographicException("Sealed value is too short.");
        var plaintext = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize + TagSize),
            sealedValue.AsSpan(NonceSize, TagSize), plaintext);
        return plaintext;
    }
}

/// <summary>Keyed hashes: lookups (email, phone) and IP hashes that cannot be reversed by brute force without the key.</summary>
public sealed class LookupHasher(KeyRing keys)
{
    public string Person(string normalisedValue) => Hex(HMACSHA256.HashData(keys.LookupKey, Encoding.UTF8.GetBytes(normalisedValue)));

    public string Ip(string? ip) => Hex(HMACSHA256.HashData(keys.IpKey, Encoding.UTF8.GetBytes(ip ?? "unknown")))[..32];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
