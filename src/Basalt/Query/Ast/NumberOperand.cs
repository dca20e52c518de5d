namespace Basalt.Query.Ast;

/// <summary>A number literal; <see cref="Text"/> keeps its spelling for comparisons against text columns.</summary>
public sealed record NumberOperand(double Value, string Text, int Position) : Operand(Position);
