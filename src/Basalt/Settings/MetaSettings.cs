namespace Basalt.Settings;

/// <summary>The <c>meta</c> settings of §11: the app's name and URL (used in emails) and the sender of every email.</summary>
public sealed record MetaSettings(string AppName, string AppUrl, string SenderName, string SenderAddress, bool HideControls)
{
    public static readonly MetaSettings Default = new("Acme", "http://localhost:8090", "Support", "support@example.com", false);
}
