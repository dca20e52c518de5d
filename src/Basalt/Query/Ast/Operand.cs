namespace Basalt.Query.Ast;

/// <summary>One side of a comparison, or an argument of a function.</summary>
public abstract record Operand(int Position);
