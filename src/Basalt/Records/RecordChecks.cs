using System.Data.Common;
using System.Text.RegularExpressions;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>
/// Validation of a record about to be written: the pure per-field checks, then the checks that read the database
/// inside the write unit (related ids exist, ids and auth emails are unique).
/// </summary>
internal sealed partial class RecordChecks(RecordStore store, ICollectionLookup collections)
{
    public static void ValidateFields(Record record, Record? original, RecordBody body, ValidationErrors errors)
    {
        var existing = errors.ToJson();
        foreach (var field in record.Collection.Fields)
        {
            if (existing.ContainsKey(field.Name))
            {
                continue;
            }

            var issue = field.Type == FieldType.Password
                ? body.Passwords.TryGetValue(field.Name, out var plain)
                    ? FieldValueValidator.Password(field, plain)
                    : field.Required && string.IsNullOrEmpty(record.GetString(field.Name)) ? FieldIssue.Required : null
                : FieldValueValidator.Validate(field, record.Get(field.Name), original, body.Uploads);
            if (issue is null && field.Type == FieldType.File && body.Uploads.Count > 0)
            {
                issue = FileUploadChecks.Uploads(field, FieldValues.Items(record.Get(field.Name)), body.Uploads);
            }

            if (issue is not null)
            {
                errors.Add(field.Name, issue.Code, issue.Message, issue.Params);
            }
        }
    }

    /// <summary>
    /// Adds the errors only the database can tell; <paramref name="checkId"/> when the client chose the new id.
    /// Runs inside the write unit (<paramref name="transaction"/> set) or, when other fields already failed, on a read
    /// connection so that every error is reported in one answer. Inside the write, an id the primary key alone decides
    /// (<see cref="KeyDecidesId"/>) is left to the insert, whose refusal the caller turns into the same 400
    /// (<see cref="FindUniqueConflictsAsync"/>): a lookup per create saved, unless another check fails first.
    /// </summary>
    public async Task CheckStoredAsync(Record record, Record? original, bool checkId, ValidationErrors errors, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var collection = record.Collection;
        var existing = errors.ToJson();
        var idByKey = transaction is not null && errors.IsEmpty && KeyDecidesId(record);
        if (original is null && checkId && !idByKey)
        {
            await CheckNewIdAsync(record, errors, connection, transaction, cancellationToken);
        }

        foreach (var field in collection.Fields)
        {
            if (field.Type != FieldType.Relation || existing.ContainsKey(field.Name))
            {
                continue;
            }

            var ids = FieldValues.Items(record.Get(field.Name));
            if (ids.Count == 0 || (original is not null && ids.SequenceEqual(FieldValues.Items(original.Get(field.Name)))))
            {
                continue;
            }

            if (!await AllExistAsync(field, ids, connection, transaction, cancellationToken))
            {
                errors.Add(field.Name, "validation_missing_rel_records", "Failed to find all relation records with the provided ids.");
            }
        }

        if (collection.IsAuth && collection.FindField("email") is not null && !existing.ContainsKey("email"))
        {
            var email = record.GetString("email");
            if (email.Length > 0 && !string.Equals(email, original?.GetString("email"), StringComparison.OrdinalIgnoreCase) &&
                await TakenAsync(collection, "email", email, record.Id, connection, transaction, cancellationToken))
            {
                errors.Add("email", "validation_not_unique", "Value must be unique.");
            }
        }

        if (original is null && checkId && idByKey && !errors.IsEmpty)
        {
            // The write fails anyway: its answer names a taken id beside the other errors.
            await CheckNewIdAsync(record, errors, connection, transaction, cancellationToken);
        }
    }

    /// <summary>
    /// Whether the primary key alone tells that a new record's id is taken: under the default pattern ids are lowercase,
    /// so a case-insensitive twin is an equal one; an auth record's id must also be free in every other auth collection,
    /// which no key of its table sees.
    /// </summary>
    private static bool KeyDecidesId(Record record) =>
        !record.Collection.IsAuth && record.Collection.FindField("id") is { } idField && IsLowercaseOnly(idField) && !record.Id.Any(char.IsUpper);

    private async Task CheckNewIdAsync(Record record, ValidationErrors errors, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (errors.ToJson().ContainsKey("id"))
        {
            return;
        }

        var id = record.Id;
        var targets = record.Collection.IsAuth
            ? collections.All.Where(c => c.IsAuth).ToList()
            : [record.Collection];
        foreach (var target in targets)
        {
            if (await IdTakenAsync(target, id, connection, transaction, cancellationToken))
            {
                errors.Add("id", "validation_not_unique", "Value must be unique.");
                return;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="id"/> is taken in <paramref name="target"/>. Under the default pattern every id is
    /// lowercase, so equality is case-insensitive equality and the primary key answers it (PocketBase skips its
    /// case-insensitive check there too); any other pattern compares case-insensitively, which reads the whole table.
    /// </summary>
    private async Task<bool> IdTakenAsync(Collection target, string id, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (target.FindField("id") is not { } idField)
        {
            return false;
        }

        return IsLowercaseOnly(idField) && !id.Any(char.IsUpper)
            ? await store.ExistsAsync(target, id, null, connection, transaction, cancellationToken)
            : await store.IsTakenAsync(target, "id", id, null, connection, transaction, cancellationToken);
    }

    private static bool IsLowercaseOnly(Field idField) =>
        string.Equals(idField.GetString("pattern"), RecordIdPattern.Lowercase, StringComparison.Ordinal);

    private async Task<bool> AllExistAsync(Field field, IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (field.CollectionId is { } cid ? collections.Find(cid) : null) is { } target &&
        await store.AllExistAsync(target, ids, connection, transaction, cancellationToken);

    /// <summary>Case-insensitive, as PocketBase compares custom ids and emails.</summary>
    private async Task<bool> TakenAsync(Collection collection, string column, string value, string? exceptId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        collection.FindField(column) is not null &&
        await store.IsTakenAsync(collection, column, value, exceptId, connection, transaction, cancellationToken);

    /// <summary>
    /// After a UNIQUE index refused a write, finds which index the record collides with so the error names its fields,
    /// as PocketBase's <c>validation_not_unique</c> does. Indexes on expressions are skipped. For a new record
    /// (<paramref name="isNew"/>) the primary key is one of them: a concurrent create with the same id that committed
    /// after this one's check (PostgreSQL runs writers side by side).
    /// </summary>
    public async Task<ValidationErrors> FindUniqueConflictsAsync(Record record, bool isNew, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (isNew && await store.Database.ReadAsync((connection, ct) => store.ExistsAsync(record.Collection, record.Id, null, connection, null, ct), cancellationToken))
        {
            errors.Add("id", "validation_not_unique", "Value must be unique.");
        }

        foreach (var index in record.Collection.Indexes)
        {
            var m = UniqueIndexRegex().Match(index);
            if (!m.Success)
            {
                continue;
            }

            var columns = m.Groups[1].Value.Split(',').Select(c => c.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Trim('`', '"', '[', ']')).ToList();
            if (columns.Count == 0 || columns.Any(c => record.Collection.FindField(c) is null))
            {
                continue;
            }

            if (await store.Database.ReadAsync((connection, ct) => store.HasTwinAsync(record, columns, connection, null, ct), cancellationToken))
            {
                foreach (var column in columns)
                {
                    errors.Add(column, "validation_not_unique", "Value must be unique.");
                }
            }
        }

        return errors;
    }

    [GeneratedRegex(@"^\s*CREATE\s+UNIQUE\s+INDEX\s+.*?\bON\s+\S+\s*\(([^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex UniqueIndexRegex();
}
