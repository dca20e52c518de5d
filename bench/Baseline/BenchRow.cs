namespace Baseline;

/// <summary>One row of the benchmark table, as both databases return it.</summary>
internal sealed record BenchRow(string Id, string Title, double N, string Status, string Body, string Created, string Updated);
