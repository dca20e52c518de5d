using BenchmarkDotNet.Running;

namespace Basalt.Micro;

/// <summary>Runs the micro-benchmarks: <c>dotnet run -c Release --project bench/Micro -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
