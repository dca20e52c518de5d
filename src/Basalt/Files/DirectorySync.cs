using System.Runtime.InteropServices;
using System.Text;

namespace Basalt.Files;

/// <summary>
/// Flushes a directory's entries to stable storage (POSIX <c>fsync</c> on the directory), so a file created or renamed
/// into it survives a power cut. .NET can open no handle on a directory, hence the direct libc calls; on Windows, where
/// NTFS journals the rename itself and a directory cannot be flushed this way, it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux; macOS ignores unknown bits in this position

    public static void Flush(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        var fd = Open(bytes, ReadOnly | (OperatingSystem.IsLinux() ? Directory : 0));
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {path} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush directory {path} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte[] path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
