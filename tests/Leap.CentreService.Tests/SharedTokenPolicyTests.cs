using Leap.CentreService.Tests.Support;
using Leap.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.CentreService.Tests;

/// <summary>The service refuses a guessable token and warns about a token file other users can read.</summary>
public sealed class SharedTokenPolicyTests
{
    private const int TokenFileWarning = 912;

    [Fact]
    public async Task Start_TokenShorterThanMinimum_RefusedNamingKeyAndMinimum()
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KestrelCentreHost.StartAsync(dir.Path, settings: new Dictionary<string, string?> { ["Auth:Token"] = "x" }));

        Assert.Contains($"Auth:Token ({AuthEnvironment.Token}): the token is 1 characters long; at least {SharedToken.MinLength} are required",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TokenFileWithShortToken_RefusedNamingFileAndMinimum()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "token");
        await File.WriteAllTextAsync(file, "short-token\n");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KestrelCentreHost.StartAsync(Path.Combine(dir.Path, "state"),
            settings: new Dictionary<string, string?> { ["Auth:Token"] = null, ["Auth:TokenFile"] = file }));

        Assert.Contains($"Auth:TokenFile ({AuthEnvironment.TokenFile}) = '{file}': the token in it is 11 characters long; at least 16 are required",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, false)]
    public async Task Start_TokenFileMode_WarnsOnlyWhenOthersCanReadIt(UnixFileMode mode, bool warns)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "token");
        await File.WriteAllTextAsync(file, TestAuth.Token);
        File.SetUnixFileMode(file, mode);

        await using var host = await KestrelCentreHost.StartAsync(Path.Combine(dir.Path, "state"),
            settings: new Dictionary<string, string?> { ["Auth:Token"] = null, ["Auth:TokenFile"] = file });

        var warnings = host.Log.Entries.Where(e => e.Id.Id == TokenFileWarning).ToList();
        Assert.Equal(warns, warnings.Count == 1);
        if (warns)
        {
            Assert.Equal(LogLevel.Warning, warnings[0].Level);
            Assert.Contains($"The token file {file} is readable by other users (mode 0644)", warnings[0].Message, StringComparison.Ordinal);
        }
    }
}
