namespace Basalt.Query.Ast;

/// <summary>A field path, <c>@request.*</c>, <c>@collection.*</c>, a macro, or <c>null/true/false</c>.</summary>
public sealed record IdentifierOperand(string Name, int Position) : Operand(Position);
