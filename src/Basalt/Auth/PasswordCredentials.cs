using Basalt.Errors;

namespace Basalt.Auth;

/// <summary>The body of <c>auth-with-password</c>.</summary>
public sealed record PasswordCredentials(string Identity, string Password, string? IdentityField)
{
    private const int MaxLength = 255;

    /// <summary>Rejects blank or over-long values and an identity field the collection does not allow.</summary>
    public void Validate(IReadOnlyList<string> identityFields)
    {
        var errors = new ValidationErrors();
        Check(errors, "identity", Identity);
        Check(errors, "password", Password);
        if (!string.IsNullOrEmpty(IdentityField) && !identityFields.Contains(IdentityField))
        {
            errors.Add("identityField", "validation_in_invalid", "Must be a valid value.");
        }

        errors.ThrowIfAny("An error occurred while validating the submitted data.");
    }

    private static void Check(ValidationErrors errors, string name, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(name, "validation_required", "Cannot be blank.");
        }
        else if (value.Length > MaxLength)
        {
            errors.Add(name, "validation_length_too_long", "The length must be no more than 255.");
        }
    }
}
