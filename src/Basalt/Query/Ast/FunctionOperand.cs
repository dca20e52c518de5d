namespace Basalt.Query.Ast;

/// <summary>A function call such as <c>strftime('%Y', created)</c> or <c>geoDistance(a, b, c, d)</c>.</summary>
public sealed record FunctionOperand(string Name, IReadOnlyList<Operand> Arguments, int Position) : Operand(Position);
