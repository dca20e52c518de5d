namespace Basalt.Tests.Fixtures;

/// <summary>A user a test created and signed in: its collection, id, email and auth token.</summary>
public sealed record SignedUpUser(string Collection, string Id, string Email, string Token);
