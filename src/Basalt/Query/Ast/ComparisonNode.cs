namespace Basalt.Query.Ast;

/// <summary><c>left op right</c>; <see cref="Operator"/> keeps the <c>?</c> any-of form apart in <see cref="AnyOf"/>.</summary>
public sealed record ComparisonNode(Operand Left, ComparisonOperator Operator, bool AnyOf, Operand Right) : FilterNode;
