using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Records;

/// <summary>The values a write adds to the submitted body (generated ids and tokenKeys, password hashes, autodates) and the auth-field checks.</summary>
public sealed partial class RecordService
{
    /// <summary>Fills empty text fields that have an <c>autogeneratePattern</c> (the id, an auth tokenKey, user fields).</summary>
    private static void Autogenerate(Record record, ValidationErrors errors)
    {
        foreach (var field in record.Collection.Fields)
        {
            if (field.Type != FieldType.Text || record.GetString(field.Name).Length > 0)
            {
                continue;
            }

            var pattern = field.GetString("autogeneratePattern");
            if (string.IsNullOrEmpty(pattern))
            {
                pattern = field.PrimaryKey ? DefaultIdPattern : field.Name == "tokenKey" && record.Collection.IsAuth ? DefaultTokenKeyPattern : null;
            }

            if (pattern is null)
            {
                continue;
            }

            try
            {
                record.Set(field.Name, PatternGenerator.Generate(pattern));
            }
            catch (FormatException)
            {
                errors.Add(field.Name, "validation_invalid_value", "The field autogenerate pattern is not supported.");
            }
        }
    }

    private static void HashPasswords(Record record, RecordBody submitted)
    {
        foreach (var (name, plain) in submitted.Passwords)
        {
            if (plain.Length == 0)
            {
                continue;
            }

            var field = record.Collection.FindField(name)!; // RecordBody only records passwords of existing fields
            var cost = (int)(field.GetNumber("cost") ?? 0);
            record.Set(name, PasswordHasher.Hash(plain, cost is >= 4 and <= 31 ? cost : PasswordHasher.DefaultCost));
        }
    }

    private void StampAutodates(Record record, bool isNew, HashSet<string>? changed)
    {
        var now = DateFormat.Format(_time.GetUtcNow());
        foreach (var field in record.Collection.Fields)
        {
            if (field.Type == FieldType.Autodate && ((isNew && field.GetBool("onCreate")) || field.GetBool("onUpdate")))
            {
                record.Set(field.Name, now);
                changed?.Add(field.Name);
            }
        }
    }

    private static void CheckAuthCreate(Record record, RecordBody submitted, bool manage, ValidationErrors errors)
    {
        CheckPasswordChange(submitted, true, manage, null, errors);
        if (!manage && record.Get("verified") is true)
        {
            errors.Add("verified", InvalidValueCode, InvalidValueMessage);
        }
    }

    /// <summary>
    /// PocketBase's password trio: each of password, passwordConfirm and oldPassword makes the others required, the
    /// confirmation must match, and without manage access the old password must be right.
    /// </summary>
    private static void CheckPasswordChange(RecordBody submitted, bool isNew, bool manage, Record? original, ValidationErrors errors)
    {
        var password = submitted.Passwords.GetValueOrDefault("password") ?? "";
        var confirm = submitted.PasswordConfirm ?? "";
        var old = submitted.OldPassword ?? "";
        if (password.Length == 0 && (isNew || confirm.Length > 0 || old.Length > 0))
        {
            errors.Add("password", "validation_required", "Cannot be blank.");
        }

        if (confirm.Length == 0 && (isNew || password.Length > 0 || old.Length > 0))
        {
            errors.Add("passwordConfirm", "validation_required", "Cannot be blank.");
        }
        else if (confirm != password)
        {
            errors.Add("passwordConfirm", "validation_values_mismatch", "Values don't match.");
        }

        if (!isNew && !manage && (password.Length > 0 || confirm.Length > 0))
        {
            if (old.Length == 0)
            {
                errors.Add("oldPassword", "validation_required", "Cannot be blank.");
            }
            else if (!PasswordHasher.Verify(old, original?.GetString("password") ?? ""))
            {
                errors.Add("oldPassword", "validation_invalid_old_password", "Missing or invalid old password.");
            }
        }
    }

    private static void CheckAuthUpdate(Record record, Record original, RecordBody submitted, bool manage, ValidationErrors errors, HashSet<string> changed)
    {
        var password = submitted.Passwords.GetValueOrDefault("password") ?? "";
        if (submitted.Passwords.ContainsKey("password") && password.Length == 0)
        {
            submitted.Passwords.Remove("password");
            changed.Remove("password");
        }

        CheckPasswordChange(submitted, false, manage, original, errors);

        // Without manage access PocketBase refuses any other value than the stored one (email changes go through
        // request-email-change), with the generic "invalid value" error it gives for both fields.
        var emailChanged = !string.Equals(record.GetString("email"), original.GetString("email"), StringComparison.Ordinal);
        if (!manage && emailChanged)
        {
            errors.Add("email", InvalidValueCode, InvalidValueMessage);
        }

        if (!manage && !Equals(record.Get("verified"), original.Get("verified")))
        {
            errors.Add("verified", InvalidValueCode, InvalidValueMessage);
        }

        if ((password.Length > 0 || emailChanged) && record.Collection.FindField("tokenKey") is { } tokenKey)
        {
            var pattern = tokenKey.GetString("autogeneratePattern");
            record.Set("tokenKey", PatternGenerator.Generate(string.IsNullOrEmpty(pattern) ? DefaultTokenKeyPattern : pattern));
            changed.Add("tokenKey");
        }
    }
}
