using System.Diagnostics;

namespace Basalt.Common;

/// <summary>
/// The engine's own spans (activity source <c>Basalt</c>): SQLite reads and group commits, filter and rule compilation,
/// mail sending. With tracing off nothing listens and starting a span returns null at once.
/// </summary>
public static class BasaltTracing
{
    public const string SourceName = "Basalt";

    public static readonly ActivitySource Source = new(SourceName);
}
