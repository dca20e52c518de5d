namespace Basalt.Model;

/// <summary>
/// The names of the base collections the auth flows keep their state in (§2.3); their definitions are in
/// <c>Collections/AuthSystemCollectionScaffolds.cs</c>.
/// </summary>
public static class AuthSystemCollections
{
    public const string Mfas = "_mfas";
    public const string Otps = "_otps";
    public const string ExternalAuths = "_externalAuths";
    public const string AuthOrigins = "_authOrigins";
}
