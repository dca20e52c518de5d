using Basalt.Client;

namespace Basalt.Dashboard.Services;

/// <summary>An error of the API as one line a person can act on: the message, then each field's.</summary>
public static class Errors
{
    public static string Describe(Exception e) => e switch
    {
        ClientResponseException { Status: 0 } => "The server did not answer. Is Basalt running?",
        ClientResponseException r when r.FieldErrors.Count > 0 =>
            r.Message + " " + string.Join("; ", r.FieldErrors.Select(f => $"{f.Key}: {f.Value.Message}")),
        ClientResponseException r => r.Message,
        _ => e.Message,
    };
}
