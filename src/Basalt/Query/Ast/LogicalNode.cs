namespace Basalt.Query.Ast;

/// <summary><c>left &amp;&amp; right</c> or <c>left || right</c>.</summary>
public sealed record LogicalNode(FilterNode Left, bool IsAnd, FilterNode Right) : FilterNode;
