namespace Baseline;

/// <summary>The JSON body a create request sends.</summary>
internal sealed record BenchInput(string? Title, double N, string? Status, string? Body);
