using System.Security.Cryptography;
using System.Text;

namespace Leap.Security;

/// <summary>
/// The job's shared secret. Compared in constant time (SHA-256 of both sides, then
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither content nor length leaks through timing).
/// <see cref="ToString"/> never shows the value, so a token that slips into a log message stays hidden.
/// </summary>
public sealed class SharedToken
{
    /// <summary>Shortest token accepted: a shorter one is guessable (<see cref="Generate"/> makes 43 characters).</summary>
    public const int MinLength = 16;

    /// <summary>Longest token accepted (it travels in an HTTP/2 header).</summary>
    public const int MaxLength = 4096;

    private readonly byte[] _value;
    private readonly byte[] _digest;

    private SharedToken(byte[] value)
    {
        _value = value;
        _digest = SHA256.HashData(value);
    }

    /// <summary>A token from its text; throws <see cref="ArgumentException"/> (without the value) when <see cref="Problem"/> finds one.</summary>
    public static SharedToken From(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Problem(value) is { } problem)
        {
            throw new ArgumentException($"The token {problem}.", nameof(value));
        }
        return new SharedToken(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>32 random bytes, base64url: a token for one local launch.</summary>
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Why <paramref name="value"/> cannot be a token (never quoting it), or null when it can.</summary>
    public static string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "is empty";
        }
        if (value.Length < MinLength)
        {
            return $"is {value.Length} characters long; at least {MinLength} are required (e.g. 32 random bytes, base64)";
        }
        if (value.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }
        // Visible ASCII only: it must survive an HTTP header and a file with a trailing newline unchanged.
        return value.All(c => c is > ' ' and < (char)0x7F) ? null : "may only contain visible ASCII characters (no spaces)";
    }

    /// <summary>True when <paramref name="presented"/> is this token; constant time in the contents.</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        if (presented.Length > MaxLength)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        int count = Encoding.UTF8.GetBytes(presented, bytes);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes[..count]), _digest);
    }

    /// <summary>HMAC-SHA256 of <paramref name="challenge"/> keyed with the token: proves the token without sending it.</summary>
    public byte[] Prove(ReadOnlySpan<byte> challenge) => HMACSHA256.HashData(_value, challenge);

    /// <summary>True when <paramref name="proof"/> is <see cref="Prove"/> of <paramref name="challenge"/>; constant time.</summary>
    public bool Verifies(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> proof) =>
        CryptographicOperations.FixedTimeEquals(Prove(challenge), proof);

    /// <summary>The <c>authorization</c> header value; for <see cref="ClientSecurity"/> only.</summary>
    internal string BearerHeader() => "Bearer " + Encoding.UTF8.GetString(_value);

    public override string ToString() => "SharedToken(***)";
}
