using Mono.Cecil;

namespace Basalt.Tests.Architecture;

/// <summary>Every (using type, used type) pair inside one assembly, read from its metadata and IL.</summary>
/// <remarks>
/// Reading IL rather than source catches what a text search misses (a type used only through <c>var</c>, a
/// lambda's closure, an extension method) and ignores what it wrongly finds (a property named like a type).
/// Both sides of a pair are the outermost declared type, so a closure or state machine counts as its owner.
/// </remarks>
internal static class TypeReferences
{
    public static IReadOnlySet<(TypeDefinition From, TypeDefinition To)> Within(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var pairs = new HashSet<(TypeDefinition, TypeDefinition)>();
        foreach (var type in module.Types)
        {
            var used = new HashSet<TypeDefinition>();
            var walker = new Walker(module, used);
            walker.Type(type);
            foreach (var target in used)
            {
                pairs.Add((type, target));
            }
        }

        return pairs;
    }

    private sealed class Walker(ModuleDefinition module, HashSet<TypeDefinition> used)
    {
        public void Type(TypeDefinition type)
        {
            Reference(type.BaseType);
            foreach (var implemented in type.Interfaces)
            {
                Reference(implemented.InterfaceType);
            }

            Attributes(type);
            GenericParameters(type);
            foreach (var field in type.Fields)
            {
                Reference(field.FieldType);
                Attributes(field);
            }

            foreach (var property in type.Properties)
            {
                Reference(property.PropertyType);
                Attributes(property);
            }

            foreach (var @event in type.Events)
            {
                Reference(@event.EventType);
            }

            foreach (var method in type.Methods)
            {
                Method(method);
            }

            foreach (var nested in type.NestedTypes)
            {
                Type(nested);
            }
        }

        private void Method(MethodDefinition method)
        {
            Reference(method.ReturnType);
            Attributes(method);
            GenericParameters(method);
            foreach (var parameter in method.Parameters)
            {
                Reference(parameter.ParameterType);
                Attributes(parameter);
            }

            if (!method.HasBody)
            {
                return;
            }

            foreach (var variable in method.Body.Variables)
            {
                Reference(variable.VariableType);
            }

            foreach (var handler in method.Body.ExceptionHandlers)
            {
                Reference(handler.CatchType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                Operand(instruction.Operand);
            }
        }

        private void Operand(object? operand)
        {
            switch (operand)
            {
                case TypeReference type:
                    Reference(type);
                    break;
                case MethodReference called:
                    MethodReference(called);
                    break;
                case FieldReference field:
                    Reference(field.DeclaringType);
                    Reference(field.FieldType);
                    break;
                case CallSite site:
                    Reference(site.ReturnType);
                    foreach (var parameter in site.Parameters)
                    {
                        Reference(parameter.ParameterType);
                    }

                    break;
            }
        }

        private void MethodReference(MethodReference called)
        {
            Reference(called.DeclaringType);
            Reference(called.ReturnType);
            foreach (var parameter in called.Parameters)
            {
                Reference(parameter.ParameterType);
            }

            if (called is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Reference(argument);
                }
            }
        }

        private void GenericParameters(IGenericParameterProvider owner)
        {
            foreach (var parameter in owner.GenericParameters)
            {
                foreach (var constraint in parameter.Constraints)
                {
                    Reference(constraint.ConstraintType);
                }
            }
        }

        private void Attributes(ICustomAttributeProvider owner)
        {
            foreach (var attribute in owner.CustomAttributes)
            {
                Reference(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    Reference(argument.Type);
                    if (argument.Value is TypeReference typeArgument)
                    {
                        Reference(typeArgument);
                    }
                }
            }
        }

        private void Reference(TypeReference? type)
        {
            switch (type)
            {
                case null or GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Reference(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Reference(argument);
                    }

                    return;
                case IModifierType modified:
                    Reference(modified.ElementType);
                    Reference(modified.ModifierType);
                    return;
                case TypeSpecification specification:
                    Reference(specification.ElementType);
                    return;
            }

            if (type.Scope != module || type.Resolve() is not { } definition)
            {
                return;
            }

            while (definition.DeclaringType is { } outer)
            {
                definition = outer;
            }

            used.Add(definition);
        }
    }
}
