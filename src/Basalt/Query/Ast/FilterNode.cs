namespace Basalt.Query.Ast;

/// <summary>A node of a parsed filter: a logical join of two nodes or one comparison.</summary>
public abstract record FilterNode;
