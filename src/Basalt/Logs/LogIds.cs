using System.Security.Cryptography;

namespace Basalt.Logs;

/// <summary>
/// Ids of request logs: 15 characters of <c>[0-9a-z]</c>, as PocketBase's, made of the time in milliseconds (8 base-36
/// digits, enough until 2059) and a per-process counter that starts at a random point (7 digits). Ids that grow with
/// time are appended at the end of the primary-key index; random ones landed on random pages of it, which made each
/// insert into a table that takes a row per request about three times as costly (bench/README.md).
/// </summary>
internal static class LogIds
{
    public const int Length = 15;

    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int TimeDigits = 8;
    private const long TimeSpace = 2_821_109_907_456; // 36^8
    private const long CounterSpace = 78_364_164_096; // 36^7

    // A random start keeps two nodes sharing one PostgreSQL _logs table from counting in step.
    private static long s_counter = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    public static string New(DateTimeOffset now)
    {
        var time = Math.Clamp(now.ToUnixTimeMilliseconds(), 0, TimeSpace - 1);
        var counter = (Interlocked.Increment(ref s_counter) & long.MaxValue) % CounterSpace;
        return string.Create(Length, (time, counter), static (span, v) =>
        {
            Write(span[..TimeDigits], v.time);
            Write(span[TimeDigits..], v.counter);
        });
    }

    private static void Write(Span<char> digits, long value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = Digits[(int)(value % 36)];
            value /= 36;
        }
    }
}
