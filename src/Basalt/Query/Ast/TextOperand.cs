namespace Basalt.Query.Ast;

/// <summary>A quoted text literal, with escaped quotes already resolved.</summary>
public sealed record TextOperand(string Value, int Position) : Operand(Position);
