using System.Diagnostics;
using System.Globalization;

namespace Basalt.Tests.Fixtures;

/// <summary>Sends a signal to a process of this machine with <c>kill</c> (SIGSTOP and SIGCONT have no .NET API).</summary>
public static class PosixSignal
{
    public static async Task SendAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
        }
    }
}
