using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>The .eml pickup folder as a pickup service (or an operator) sees it.</summary>
public sealed class PickupDirectoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("careerrelay-pickup-").FullName;
    private static readonly IOptions<MailOptions> Options = Microsoft.Extensions.Options.Options.Create(new MailOptions());

    [Fact]
    public async Task MessagesSentTogether_EachArriveWhole_AndNothingPersonalStaysInStaging()
    {
        var sender = new PickupDirectoryMailSender(Options, _folder, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            sender.SendAsync(new MailContent($"person{i}@example.jp", "ご登録の確認", $"確認コード {i:D6}", "ja"), CancellationToken.None)));

        var files = Directory.GetFiles(_folder, "*.eml");
        Assert.Equal(20, files.Length);
        var recipients = files.Select(f => File.ReadAllLines(f).Single(l => l.StartsWith("To: ", StringComparison.Ordinal))).ToHashSet();
        Assert.Equal(20, recipients.Count);
        // One staging folder for the sender's life, empty between messages.
        var staging = Assert.Single(Directory.GetDirectories(Path.Combine(_folder, ".staging")));
        Assert.Empty(Directory.GetFileSystemEntries(staging));
    }

    [Fact]
    public void ANewSender_DeletesStagingLeftByACrashedProcessADayAgo_ButNotARecentOne()
    {
        var abandoned = Directory.CreateDirectory(Path.Combine(_folder, ".staging", "crashed-yesterday")).FullName;
        File.WriteAllText(Path.Combine(abandoned, "half.eml"), "To: someone@example.jp\r\nSubj");
        Directory.SetLastWriteTimeUtc(abandoned, Directory.GetLastWriteTimeUtc(abandoned).AddHours(-25));
        var busy = Directory.CreateDirectory(Path.Combine(_folder, ".staging", "another-node")).FullName;

        _ = new PickupDirectoryMailSender(Options, _folder, TimeProvider.System);

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(busy));
        Assert.Empty(Directory.GetFiles(_folder, "*.eml"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
