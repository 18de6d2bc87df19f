using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>Hands one message to the outside world. Two implementations: SMTP and a pickup folder of .eml files.</summary>
public interface IMailSender
{
    Task SendAsync(MailContent mail, CancellationToken ct);
}

/// <summary>Writes each message as an .eml file (<see cref="EmlMessage"/>) into the pickup folder, as an SMTP relay's pickup service expects.</summary>
/// <remarks>
/// A message is written into this sender's own staging folder and then moved in, so a reader (a pickup service, a test)
/// never sees half a file. The staging folder lives as long as the sender: making and deleting one per message cost more
/// CPU than writing the message (profile in docs/benchmarks.md). A staging folder left by a crashed process may hold half
/// a message (personal data), so a new sender deletes staging folders nobody has written to for a day.
/// </remarks>
public sealed class PickupDirectoryMailSender : IMailSender
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);
    private readonly IOptions<MailOptions> _options;
    private readonly TimeProvider _clock;
    private readonly string _staging;
    private readonly string _stagingPrefix, _pickupPrefix; // each folder's path and a separator

    public PickupDirectoryMailSender(IOptions<MailOptions> options, string directory, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        Directory = directory;
        var stagingRoot = Path.Combine(directory, ".staging");
        _staging = Path.Combine(stagingRoot, Guid.NewGuid().ToString("N"));
        _stagingPrefix = _staging + Path.DirectorySeparatorChar;
        _pickupPrefix = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        // "A day" by the file system's own clock (our new folder's time), the clock that stamped the others.
        var now = System.IO.Directory.CreateDirectory(_staging).LastWriteTimeUtc;
        DeleteAbandoned(stagingRoot, now - AbandonedAfter);
    }

    public string Directory { get; }

    public Task SendAsync(MailContent mail, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N");
        var (message, length) = EmlMessage.Render(_options.Value, mail, _clock.GetUtcNow(), id);
        // Each path in one piece (no "id.eml" joined first): a mail's strings were a tenth of a registration's bytes (issue 23).
        var staged = string.Concat(_stagingPrefix, id, ".eml");
        try
        {
            try
            {
                Stage();
            }
            catch (DirectoryNotFoundException)
            {
                // Another node's clean-up took our folder while this node sent nothing for a day: make it again.
                System.IO.Directory.CreateDirectory(_staging);
                Stage();
            }
        }
        finally
        {
            // Cleared on the way back to the pool: the message names a person.
            System.Buffers.ArrayPool<byte>.Shared.Return(message, clearArray: true);
        }
        // The name is a fresh random id, never taken: a move that may replace is a bare rename(2), where one that may not first
        // looks the name up in the pickup folder (lstat), which holds every message not yet collected — 8 µs a mail in issue
        // 23's profile, a third of the move.
        File.Move(staged, string.Concat(_pickupPrefix, id, ".eml"), overwrite: true);
        return Task.CompletedTask;

        void Stage()
        {
            // A new file, never an existing one truncated: File.WriteAllBytes truncates (ftruncate to 0), and on ext4 a file
            // truncated to empty is flushed to disk when closed (auto_da_alloc), which cost 7 % of the CPU under load.
            try
            {
                using var file = File.OpenHandle(staged, FileMode.CreateNew, FileAccess.Write);
                RandomAccess.Write(file, message.AsSpan(0, length), fileOffset: 0);
            }
            catch when (File.Exists(staged))
            {
                File.Delete(staged); // a full disk, say: no half message (personal data) left behind
                throw;
            }
        }
    }

    private static void DeleteAbandoned(string stagingRoot, DateTime untouchedSince)
    {
        if (!System.IO.Directory.Exists(stagingRoot)) return;
        foreach (var folder in System.IO.Directory.GetDirectories(stagingRoot))
        {
            try
            {
                if (System.IO.Directory.GetLastWriteTimeUtc(folder) < untouchedSince) System.IO.Directory.Delete(folder, recursive: true);
            }
            catch (IOException) { } // another node cleaning up at the same moment
        }
    }
}
