using Leap.Security;

namespace Leap.CentreService.Tests.Support;

/// <summary>The shared token of every test service (Auth:Token in process, LEAP_AUTH_TOKEN for `leap` processes).</summary>
public static class TestAuth
{
    public const string Token = "centre-test-token-3c9d41e2";

    public static ClientSecurity Security { get; } = new(SharedToken.From(Token));
}
