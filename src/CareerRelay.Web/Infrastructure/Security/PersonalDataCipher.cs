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

    public byte[] WrapKey(byte[] dataKey) => Seal(KeyEncryption(), dataKey);

    public byte[] UnwrapKey(byte[] wrapped) => Open(KeyEncryption(), wrapped);

    /// <summary>
    /// The key-encryption key's cipher, set up once per thread: every registration wraps a new key (and a batch unwraps each
    /// returning person's), and setting the key up cost as much as using it (issue 23). The key ring never changes its keys.
    /// </summary>
    private AesGcm KeyEncryption()
    {
        if (t_keyEncryption is { } cached && ReferenceEquals(t_keyEncryptionKey, keys.KeyEncryptionKey)) return cached;
        t_keyEncryption?.Dispose();
        t_keyEncryption = new AesGcm(keys.KeyEncryptionKey, TagSize);
        t_keyEncryptionKey = keys.KeyEncryptionKey;
        return t_keyEncryption;
    }

    [ThreadStatic] private static AesGcm? t_keyEncryption;
    [ThreadStatic] private static byte[]? t_keyEncryptionKey;

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
        using var aes = new AesGcm(key, TagSize);
        return Seal(aes, plaintext);
    }

    private static byte[] Seal(AesGcm aes, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return output;
    }

    public static byte[] Open(byte[] key, byte[] sealedValue)
    {
        using var aes = new AesGcm(key, TagSize);
        return Open(aes, sealedValue);
    }

    private static byte[] Open(AesGcm aes, byte[] sealedValue)
    {
        if (sealedValue.Length < NonceSize + TagSize) throw new CryptographicException("Sealed value is too short.");
        var plaintext = new byte[sealedValue.Length - NonceSize - TagSize];
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize + TagSize),
            sealedValue.AsSpan(NonceSize, TagSize), plaintext);
        return plaintext;
    }
}

/// <summary>Keyed hashes: lookups (email, phone) and IP hashes that cannot be reversed by brute force without the key.</summary>
/// <remarks>
/// Hashed on the stack and written straight into the hex string: the value's UTF-8 array, the hash's array and (for an
/// address) the whole hex string cut in half were a tenth of a registration's bytes with the JSON (issue 23). The values are
/// those of <c>hex(HMAC-SHA256(key, UTF-8(prefix + value)))</c>, as stored since the first release.
/// </remarks>
public sealed class LookupHasher(KeyRing keys)
{
    public string Person(string normalisedValue) => Person("", normalisedValue);

    /// <summary>The hash of <paramref name="prefix"/> + <paramref name="normalisedValue"/> ("email:", an address), without joining them first.</summary>
    public string Person(string prefix, string normalisedValue) => HexOfHmac(keys.LookupKey, prefix, normalisedValue, hashBytes: 32);

    /// <summary>The first half of the address's hash (32 hex characters).</summary>
    public string Ip(string? ip) => HexOfHmac(keys.IpKey, "", ip ?? "unknown", hashBytes: 16);

    private static string HexOfHmac(byte[] key, string prefix, string value, int hashBytes)
    {
        var most = Encoding.UTF8.GetMaxByteCount(prefix.Length + value.Length);
        var rented = most > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(most) : null;
        var text = rented ?? stackalloc byte[512];
        var length = Encoding.UTF8.GetBytes(prefix, text);
        length += Encoding.UTF8.GetBytes(value, text[length..]);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, text[..length], hash);
        text[..length].Clear(); // an address or a phone number
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return Convert.ToHexStringLower(hash[..hashBytes]);
    }
}
