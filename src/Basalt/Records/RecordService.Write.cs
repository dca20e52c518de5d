using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Rules;

namespace Basalt.Records;

/// <summary>Create, update and delete: resolve the body, validate, then one write unit that checks the rule and writes.</summary>
public sealed partial class RecordService
{
    public const string CreateFailed = "Failed to create record.";
    public const string UpdateFailed = "Failed to update record.";
    private const string DefaultIdPattern = "[a-z0-9]{15}";
    private const string DefaultTokenKeyPattern = "[a-zA-Z0-9]{50}";
    private const string InvalidValueCode = "validation_in_invalid";
    private const string InvalidValueMessage = "Must be a valid value.";

    public Task<Record> CreateAsync(string collectionIdOrName, JsonObject body, string? expand, RequestInfo request, CancellationToken cancellationToken) =>
        CreateAsync(collectionIdOrName, body, [], expand, request, null, cancellationToken);

    public Task<Record> CreateAsync(string collectionIdOrName, JsonObject body, IReadOnlyList<RecordUpload> uploads, string? expand, RequestInfo request, CancellationToken cancellationToken) =>
        CreateAsync(collectionIdOrName, body, uploads, expand, request, null, cancellationToken);

    /// <summary>
    /// Creates a record as the records API does; <paramref name="alsoInWrite"/> runs in the same transaction after the
    /// insert and the rule checks, so rows that belong with the record (an OAuth2 link) commit or roll back with it.
    /// </summary>
    public async Task<Record> CreateAsync(
        string collectionIdOrName,
        JsonObject body,
        IReadOnlyList<RecordUpload> uploads,
        string? expand,
        RequestInfo request,
        Func<Record, DbConnection, DbTransaction, CancellationToken, Task>? alsoInWrite,
        CancellationToken cancellationToken)
    {
        var collection = ResolveWritable(collectionIdOrName);
        RuleEvaluator.EnsureNotLocked(collection.CreateRule, request);
        var tree = ExpandTree.Parse(expand);
        var manage = request.IsSuperuser;

        // manageRule can only be checked once the row exists: a non-superuser setting verified is checked inside the write.
        var manageRule = ManageAccess.Rule(collection);
        var checkManageLater = !manage && collection.IsAuth && manageRule is not null && request.Auth is not null;

        var record = new Record(collection);
        foreach (var field in collection.Fields)
        {
            record.Set(field.Name, FieldEmptyValue.Of(field));
        }

        var submitted = RecordBody.Apply(record, body, request.IsSuperuser, uploads);
        var errors = submitted.Errors;
        var clientId = record.Id.Length > 0;
        Autogenerate(record, errors);

        // The rule runs before any validation, uniqueness check or password hashing, as in PocketBase: a caller the
        // rule refuses learns nothing about stored data (a taken email) and costs no bcrypt.
        var ruleRequest = request with { Body = submitted.RequestBody };
        if (RuleEvaluator.NeedsCondition(collection.CreateRule, request) && !await PassesCreateRuleAsync(record, ruleRequest, cancellationToken))
        {
            throw ApiError.BadRequest(CreateFailed);
        }

        if (collection.IsAuth)
        {
            CheckAuthCreate(record, submitted, manage || checkManageLater, errors);
        }

        RecordChecks.ValidateFields(record, null, submitted, errors);
        if (!errors.IsEmpty)
        {
            await _database.ReadAsync(
                async (connection, ct) =>
                {
                    await _checks.CheckStoredAsync(record, null, clientId, errors, connection, null, ct);
                    return true;
                },
                cancellationToken);
            errors.ThrowIfAny(CreateFailed);
        }

        HashPasswords(record, submitted);
        StampAutodates(record, true, null);

        var kept = KeptUploads(record, submitted);
        await _files.SaveAsync(collection, record.Id, kept, cancellationToken);
        await WriteAsync(
            record,
            kept,
            async (connection, transaction, ct) =>
            {
                await _checks.CheckStoredAsync(record, null, clientId, errors, connection, transaction, ct);
                errors.ThrowIfAny(CreateFailed);
                var checksManage = checkManageLater && record.Get("verified") is true;
                await _store.InsertAsync(record, connection, transaction, ct, last: !checksManage && alsoInWrite is null);
                if (checksManage &&
                    !await _rules.MatchesAsync(collection, record.Id, manageRule, ruleRequest, connection, transaction, ct))
                {
                    throw ApiError.Field(CreateFailed, "verified", InvalidValueCode, InvalidValueMessage);
                }

                if (alsoInWrite is not null)
                {
                    await alsoInWrite(record, connection, transaction, ct);
                }
            },
            CreateFailed,
            true,
            cancellationToken);

        return await ReloadAsync(record, tree, request, cancellationToken);
    }

    public Task<Record> UpdateAsync(string collectionIdOrName, string id, JsonObject body, string? expand, RequestInfo request, CancellationToken cancellationToken) =>
        UpdateAsync(collectionIdOrName, id, body, [], expand, request, cancellationToken);

    public async Task<Record> UpdateAsync(string collectionIdOrName, string id, JsonObject body, IReadOnlyList<RecordUpload> uploads, string? expand, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = ResolveWritable(collectionIdOrName);
        RuleEvaluator.EnsureNotLocked(collection.UpdateRule, request);
        var tree = ExpandTree.Parse(expand);
        var original = await FindAsync(collection, id, "", request with { Auth = null }, cancellationToken) ?? throw ApiError.NotFound();
        var manage = request.IsSuperuser || (collection.IsAuth && await PassesManageRuleAsync(collection, id, request, cancellationToken));

        var record = Copy(original);
        var submitted = RecordBody.Apply(record, body, request.IsSuperuser, uploads);
        var errors = submitted.Errors;
        var changed = new HashSet<string>(submitted.Changed, StringComparer.Ordinal);

        // The rule first, so a caller it refuses costs no bcrypt (oldPassword, a new password) and learns nothing
        // from validation; the write checks it again against the row it updates.
        var ruleRequest = request with { Body = submitted.RequestBody };
        if (RuleEvaluator.NeedsCondition(collection.UpdateRule, request) &&
            !await _database.ReadAsync(
                (connection, ct) => _rules.MatchesAsync(collection, id, collection.UpdateRule, ruleRequest, connection, null, ct),
                cancellationToken))
        {
            throw ApiError.NotFound();
        }

        if (collection.IsAuth)
        {
            CheckAuthUpdate(record, original, submitted, manage, errors, changed);
        }

        RecordChecks.ValidateFields(record, original, submitted, errors);
        if (errors.IsEmpty)
        {
            HashPasswords(record, submitted);
            StampAutodates(record, false, changed);
        }

        // Uploads are stored only once the request is known to be valid, and before the write that references them.
        var kept = errors.IsEmpty ? KeptUploads(record, submitted) : [];
        await _files.SaveAsync(collection, record.Id, kept, cancellationToken);
        List<RecordFile> dropped = [];
        await WriteAsync(
            record,
            kept,
            async (connection, transaction, ct) =>
            {
                if (RuleEvaluator.NeedsCondition(collection.UpdateRule, request) &&
                    !await _rules.MatchesAsync(collection, id, collection.UpdateRule, ruleRequest, connection, transaction, ct))
                {
                    throw ApiError.NotFound();
                }

                await _checks.CheckStoredAsync(record, original, false, errors, connection, transaction, ct);
                errors.ThrowIfAny(UpdateFailed);
                dropped = await ReconcileFilesAsync(record, changed, kept, connection, transaction, ct);

                // A delete that committed since the record was read leaves no row: answering 200 would announce an
                // update of a record that is gone and leave this write's uploads unreferenced.
                if (!await _store.UpdateAsync(record, changed, connection, transaction, ct))
                {
                    throw ApiError.NotFound();
                }
            },
            UpdateFailed,
            false,
            cancellationToken);

        await _files.DeleteAsync(dropped, CancellationToken.None);
        return await ReloadAsync(record, tree, request, cancellationToken);
    }

    public async Task DeleteAsync(string collectionIdOrName, string id, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = ResolveWritable(collectionIdOrName);
        RuleEvaluator.EnsureNotLocked(collection.DeleteRule, request);

        var removed = new List<RecordFile>();
        await _database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                if (!await _rules.MatchesAsync(collection, id, collection.DeleteRule, request, connection, transaction, ct))
                {
                    throw ApiError.NotFound();
                }

                await _cascade.DeleteAsync(collection, [id], removed, connection, transaction, ct);
                return 0;
            },
            cancellationToken);

        await _files.DeleteAsync(removed, CancellationToken.None);
    }

    /// <summary>The create rule against the record's values; verified reads false, so the rule cannot be met by claiming it.</summary>
    private Task<bool> PassesCreateRuleAsync(Record record, RequestInfo request, CancellationToken cancellationToken)
    {
        var candidate = Copy(record);
        if (candidate.Collection.IsAuth && candidate.Collection.FindField("verified") is not null)
        {
            candidate.Set("verified", false);
        }

        return _database.ReadAsync(
            (connection, ct) => _rules.MatchesCandidateAsync(candidate, candidate.Collection.CreateRule, request, connection, ct),
            cancellationToken);
    }

    private Collection ResolveWritable(string collectionIdOrName)
    {
        var collection = Resolve(collectionIdOrName);
        return collection.IsView ? throw ApiError.BadRequest(UnsupportedType) : collection;
    }

    /// <summary>
    /// Runs one write unit; a constraint the checks could not foresee (a user UNIQUE index) becomes a 400, not a 500.
    /// When it fails, the uploads stored for it are discarded.
    /// </summary>
    private async Task WriteAsync(Record record, IReadOnlyList<RecordUpload> kept, Func<DbConnection, DbTransaction, CancellationToken, Task> work, string failure, bool isNew, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(record, work, failure, isNew, cancellationToken);
        }
        catch
        {
            await DiscardUploadsAsync(record, kept);
            throw;
        }
    }

    private async Task WriteAsync(Record record, Func<DbConnection, DbTransaction, CancellationToken, Task> work, string failure, bool isNew, CancellationToken cancellationToken)
    {
        try
        {
            await _database.WriteAsync(
                async (connection, transaction, ct) =>
                {
                    await work(connection, transaction, ct);
                    return 0;
                },
                cancellationToken);
        }
        catch (DbException e) when (_database.Dialect.IsConstraintViolation(e))
        {
            var errors = await _checks.FindUniqueConflictsAsync(record, isNew, cancellationToken);
            throw new ApiError(400, failure, errors.ToJson(), e);
        }
    }

    private async Task<Record> ReloadAsync(Record record, ExpandTree? tree, RequestInfo request, CancellationToken cancellationToken)
    {
        if (tree is not null)
        {
            await _expander.ExpandAsync([record], tree, request, cancellationToken);
        }

        await _manage.MarkAsync([record], request, cancellationToken);
        return record;
    }

    private async Task<bool> PassesManageRuleAsync(Collection collection, string id, RequestInfo request, CancellationToken cancellationToken)
    {
        var rule = ManageAccess.Rule(collection);
        if (rule is null || request.Auth is null)
        {
            return false;
        }

        return await _database.ReadAsync(
            (connection, ct) => _rules.MatchesAsync(collection, id, rule, request, connection, null, ct),
            cancellationToken);
    }

    private static Record Copy(Record source)
    {
        var copy = new Record(source.Collection);
        foreach (var (key, value) in source.Values)
        {
            copy.Set(key, value switch
            {
                List<string> l => new List<string>(l),
                JsonNode n => n.DeepClone(),
                _ => value,
            });
        }

        return copy;
    }
}
